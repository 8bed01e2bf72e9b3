export * from './drafts.ts';
export {
  buildMessage,
  createSmtpTransport,
  dotStuff,
  type SentMessage,
  SmtpError,
  type SmtpOptions,
  type Transport,
} from './transport.ts';
export { slaEscalationsFromView, statementDraftFromView, statusUpdateFromBrief } from './from-views.ts';
