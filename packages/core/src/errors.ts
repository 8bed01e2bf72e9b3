/**
 * The ledger's error hierarchy. Every error carries a stable string `code` that callers
 * can switch on, a message a person can act on, and `cause` when it wraps another error.
 *
 * @example
 * try { await ledger.handle(cmd) } catch (e) {
 *   if (e instanceof LedgerError && e.code === 'referral.already-accepted') { ... }
 * }
 */
export class LedgerError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** One problem found while validating input: where it is and what is wrong. */
export interface ValidationIssue {
  /** Field path inside the validated value, e.g. `data.lead.email`. */
  readonly path: string;
  readonly message: string;
}

/** Where a bad value came from, when it came from a file. */
export interface InputLocation {
  readonly file?: string;
  readonly line?: number;
  readonly eventType?: string;
}

/** Input that does not match its schema (events, commands, rule sets, files, flags). */
export class ValidationError extends LedgerError {
  readonly issues: readonly ValidationIssue[];
  readonly location: InputLocation;
  constructor(
    message: string,
    issues: readonly ValidationIssue[] = [],
    location: InputLocation = {},
    options?: { cause?: unknown },
  ) {
    super('validation', message, options);
    this.issues = issues;
    this.location = location;
  }
  /** The path of the first issue, e.g. `data.lead.email`. */
  get path(): string | undefined {
    return this.issues[0]?.path;
  }
}

/** A command the domain refuses (second acceptance, payout above what is payable, ...). */
export class CommandRefusedError extends LedgerError {}

/** The stream's revision is not the one the writer expected. */
export class ConcurrencyError extends LedgerError {
  readonly streamId: string;
  readonly expected: string;
  readonly actual: string;
  constructor(streamId: string, expected: string, actual: string) {
    super(
      'concurrency',
      `Stream ${streamId} is at revision ${actual}, but the append expected ${expected}; reload the stream and decide again.`,
    );
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** An event id that is already stored with different content. */
export class EventIdConflictError extends LedgerError {
  readonly eventId: string;
  constructor(eventId: string, detail: string) {
    super(
      'event-id-conflict',
      `Event ${eventId} is already stored with different content (${detail}); an event id may only be reused for the very same event.`,
    );
    this.eventId = eventId;
  }
}

/** The store cannot be reached or failed in a way the caller may retry. */
export class StoreUnavailableError extends LedgerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store-unavailable', message, options);
  }
}

/** A projection could not apply an event; it stopped there (SPEC §8 Failures). */
export class ProjectionError extends LedgerError {
  readonly eventId: string;
  readonly position: number;
  constructor(eventId: string, position: number, message: string, options?: { cause?: unknown }) {
    super('projection-failed', `${message} (event ${eventId} at position ${position})`, options);
    this.eventId = eventId;
    this.position = position;
  }
}
