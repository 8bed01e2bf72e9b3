import { AccountOverlapDetected } from '../events/exchange.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `overlap-<partnerId>` (Crossbeam / Reveal style account overlaps). */
export const RecordAccountOverlap = commandSchema('RecordAccountOverlap', AccountOverlapDetected);

export const overlapCommands = { RecordAccountOverlap } as const;
