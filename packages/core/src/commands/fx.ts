import { FxRateRecorded } from '../events/exchange.ts';
import { commandSchema } from './metadata.ts';

/** Commands on stream `fx`. */
export const RecordFxRate = commandSchema('RecordFxRate', FxRateRecorded);

export const fxCommands = { RecordFxRate } as const;
