import { z } from 'zod';
import { Timestamp } from '../events/common.ts';
import { Actor } from '../events/envelope.ts';

/**
 * What a caller may say about a command besides its data. `occurredAt` is business time
 * (default: the ledger's clock); `eventId` makes a retry idempotent: the first event the
 * command produces takes it, the others ids derived from it.
 */
export const CommandMetadata = z.strictObject({
  occurredAt: Timestamp.optional(),
  actor: Actor.optional(),
  correlationId: z.string().min(1).optional(),
  causationId: z.string().min(1).optional(),
  eventId: z.uuid({ message: 'must be a UUID' }).optional(),
});
export type CommandMetadata = z.infer<typeof CommandMetadata>;

/** The schema of one command: its literal `type`, its `data`, optional metadata. */
export function commandSchema<const T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({ type: z.literal(type), data, metadata: CommandMetadata.optional() });
}
