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
