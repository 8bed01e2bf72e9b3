export { type IngestResult, ingestContext, ingestPayload, runAllOrNothing } from './apply.ts';
export * from './command.ts';
export { parseCsv, toCsv } from './csv.ts';
export { type FormKey, type FormOptions, formKeyOf, normaliseName } from './form.ts';
export { type HubSpotOptions, mapHubSpot } from './hubspot.ts';
export { type IngestOptions, isIngestSource, mapIngestPayload } from './map.ts';
export { mapCrossbeam, mapOverlapCsv, mapReveal, type OverlapOptions, relationshipOf } from './overlaps.ts';
export { mapSalesforce, type SalesforceOptions, salesforceOutboundAck } from './salesforce.ts';
export { mapTally } from './tally.ts';
export { mapTypeform } from './typeform.ts';
export {
  type SignatureCheck,
  type SignatureSource,
  type SignedRequest,
  verifyWebhookSignature,
} from './signatures.ts';
