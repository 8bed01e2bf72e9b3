import type { IngestCommand, IngestContext, IngestSource } from './command.ts';
import { INGEST_SOURCES, refuse } from './command.ts';
import type { FormOptions } from './form.ts';
import { type HubSpotOptions, mapHubSpot } from './hubspot.ts';
import { mapCrossbeam, mapReveal, type OverlapOptions } from './overlaps.ts';
import { mapSalesforce, type SalesforceOptions } from './salesforce.ts';
import { mapTally } from './tally.ts';
import { mapTypeform } from './typeform.ts';

/** Options of every mapper together; each mapper reads the ones it knows. */
export type IngestOptions = HubSpotOptions &
  SalesforceOptions &
  FormOptions &
  OverlapOptions & {
    readonly context?: IngestContext;
  };

/** Whether a string names a source `ingest` understands. */
export function isIngestSource(s: string): s is IngestSource {
  return (INGEST_SOURCES as readonly string[]).includes(s);
}

/**
 * Map the text of a captured or exported payload (a file's content) to commands: JSON for
 * HubSpot, Typeform, Tally; SOAP XML or CDC JSON for Salesforce; CSV for Crossbeam and Reveal.
 * Pure: nothing is appended; a malformed payload is refused with a `ValidationError`.
 * @example mapIngestPayload('tally', readFileSync('submission.json', 'utf8'), { partner: 'P-1' })
 */
export function mapIngestPayload(
  source: IngestSource,
  text: string,
  options: IngestOptions = {},
): IngestCommand[] {
  const json = (): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      return refuse(source, '', `not valid JSON (${(e as Error).message})`);
    }
  };
  switch (source) {
    case 'hubspot':
      return mapHubSpot(json(), options);
    case 'salesforce':
      return mapSalesforce(text, options);
    case 'typeform':
      return mapTypeform(json(), options);
    case 'tally':
      return mapTally(json(), options);
    case 'crossbeam':
      return mapCrossbeam(text, options);
    case 'reveal':
      return mapReveal(text, options);
    default: {
      const never: never = source;
      return refuse(never, '', 'unknown source');
    }
  }
}
