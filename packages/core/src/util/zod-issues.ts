import type { z } from 'zod';
import type { ValidationIssue } from '../errors.ts';

/** Turn zod issues into `{path: 'data.lead.email', message}` pairs. */
export function zodIssues(error: z.ZodError, prefix = ''): ValidationIssue[] {
  return error.issues.map((i) => {
    const path = i.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
      .join('.')
      .replace(/\.\[/g, '[');
    return { path: prefix && path ? `${prefix}.${path}` : prefix || path, message: plain(i.message) };
  });
}

/** zod says "expected string, received undefined" for a missing field: say "required" instead. */
function plain(message: string): string {
  const m = /^Invalid input: expected (.+), received undefined$/.exec(message);
  return m ? `required (${m[1]})` : message;
}
