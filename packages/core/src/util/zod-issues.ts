import type { z } from 'zod';
import type { ValidationIssue } from '../errors.ts';

/** Turn zod issues into `{path: 'data.lead.email', message}` pairs. */
export function zodIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.map((i) => {
    const path = i.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[');
    return { path: prefix && path ? `${prefix}.${path}` : prefix || path, message: i.message };
  });
}
