import { randomUUID } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { LedgerError } from '@referral-ledger/core';
import type { EmailDraft } from './drafts.ts';

/**
 * Sending is the host's job: drafts go through a `Transport`. The SMTP transport below speaks
 * plain SMTP (RFC 5321) over `node:net`, or implicit TLS over `node:tls` (`secure: true`, port
 * 465), with optional AUTH PLAIN; it does not negotiate STARTTLS.
 */
export interface Transport {
  send(message: EmailDraft & { readonly from?: string }): Promise<SentMessage>;
}

export interface SentMessage {
  readonly messageId: string;
  readonly accepted: readonly string[];
  /** The server's reply to the end of DATA (`250 2.0.0 queued as …`). */
  readonly response: string;
}

/** The SMTP server refused a command, or the connection failed. */
export class SmtpError extends LedgerError {
  readonly reply?: string;
  constructor(message: string, reply?: string, options?: { cause?: unknown }) {
    super('smtp', message, options);
    if (reply !== undefined) this.reply = reply;
  }
}

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  /** Default sender address. */
  readonly from: string;
  /** Implicit TLS (SMTPS, usually port 465). */
  readonly secure?: boolean;
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Name sent in EHLO (default `localhost`). */
  readonly clientName?: string;
  readonly timeoutMs?: number;
  /** Clock for the Date header (default: the system clock). */
  readonly now?: () => Date;
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const wrap76 = (s: string): string => s.replace(/.{1,76}/g, '$&\r\n');
const header = (s: string): string =>
  /^[\x20-\x7e]*$/.test(s) ? s.replace(/[\r\n]/g, ' ') : `=?UTF-8?B?${b64(s.replace(/[\r\n]/g, ' '))}?=`;
const address = (a: string): string => {
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(a)) throw new SmtpError(`"${a}" is not an email address`);
  return a;
};

/**
 * The RFC 5322 message of a draft: multipart/alternative (text, and HTML when present), each part
 * base64 in UTF-8 so any text survives any relay.
 */
export function buildMessage(draft: EmailDraft, from: string, messageId: string, date: Date): string {
  const boundary = `=_rl_${messageId.replace(/[^a-z0-9]/gi, '')}`;
  const head = [
    `From: ${address(from)}`,
    `To: ${draft.to.map(address).join(', ')}`,
    `Subject: ${header(draft.subject)}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
  ];
  const part = (type: string, body: string): string =>
    [`Content-Type: ${type}; charset=utf-8`, 'Content-Transfer-Encoding: base64', '', wrap76(b64(body))].join(
      '\r\n',
    );
  if (!draft.html) return [...head, part('text/plain', draft.text)].join('\r\n');
  return [
    ...head,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    part('text/plain', draft.text),
    `--${boundary}`,
    part('text/html', draft.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** Double a dot that starts a line (RFC 5321 §4.5.2), so no line of the message ends DATA early. */
export function dotStuff(data: string): string {
  return data.replace(/(^|\r\n)\./g, '$1..');
}

/** A reader of SMTP replies: collects lines until one whose fourth character is a space. */
class Replies {
  private buf = '';
  private lines: string[] = [];
  private queue: { code: number; text: string }[] = [];
  private waiting: ((reply: { code: number; text: string }) => void) | undefined;
  private failed: Error | undefined;
  private failWaiting: ((e: Error) => void) | undefined;
  constructor(socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buf += chunk;
      let i = this.buf.indexOf('\r\n');
      while (i >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        this.lines.push(line);
        if (line.length < 4 || line[3] === ' ') {
          const text = this.lines.join('\n');
          this.lines = [];
          const reply = { code: Number(text.slice(0, 3)), text };
          const w = this.waiting;
          this.waiting = undefined;
          this.failWaiting = undefined;
          if (w) w(reply);
          else this.queue.push(reply);
        }
        i = this.buf.indexOf('\r\n');
      }
    });
    const fail = (e: Error): void => {
      this.failed = e;
      this.failWaiting?.(e);
    };
    socket.on('error', (e) =>
      fail(new SmtpError(`SMTP connection failed: ${e.message}`, undefined, { cause: e })),
    );
    socket.on('close', () => fail(new SmtpError('the SMTP server closed the connection')));
  }
  next(): Promise<{ code: number; text: string }> {
    return new Promise((resolve, reject) => {
      const queued = this.queue.shift();
      if (queued) return resolve(queued);
      if (this.failed) return reject(this.failed);
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }
}

/**
 * An SMTP transport.
 * @example
 * const smtp = createSmtpTransport({ host: '127.0.0.1', port: 2525, from: 'partners@example.com' });
 * await smtp.send(partnerStatusUpdate(input));
 */
export function createSmtpTransport(options: SmtpOptions): Transport {
  return {
    async send(message) {
      const from = message.from ?? options.from;
      const host = from.slice(from.lastIndexOf('@') + 1);
      const messageId = `${randomUUID()}@${host}`;
      const data = buildMessage(message, from, messageId, options.now?.() ?? new Date());
      const socket: Socket = options.secure
        ? tlsConnect({ host: options.host, port: options.port, servername: options.host })
        : netConnect({ host: options.host, port: options.port });
      socket.setTimeout(options.timeoutMs ?? 30_000, () =>
        socket.destroy(new Error(`no answer from ${options.host}:${options.port} in time`)),
      );
      const replies = new Replies(socket);
      const expect = async (ok: readonly number[], what: string): Promise<string> => {
        const r = await replies.next();
        if (!ok.includes(r.code)) throw new SmtpError(`SMTP server refused ${what}: ${r.text}`, r.text);
        return r.text;
      };
      const command = async (
        line: string,
        ok: readonly number[],
        what = line.split(' ')[0]!,
      ): Promise<string> => {
        socket.write(`${line}\r\n`);
        return expect(ok, what);
      };
      try {
        await expect([220], 'the connection');
        await command(`EHLO ${options.clientName ?? 'localhost'}`, [250]);
        if (options.auth) {
          await command(`AUTH PLAIN ${b64(`\0${options.auth.user}\0${options.auth.pass}`)}`, [235], 'AUTH');
        }
        await command(`MAIL FROM:<${address(from)}>`, [250], 'the sender');
        const accepted: string[] = [];
        for (const to of message.to) {
          await command(`RCPT TO:<${address(to)}>`, [250, 251], `the recipient ${to}`);
          accepted.push(to);
        }
        await command('DATA', [354]);
        const stuffed = dotStuff(data);
        socket.write(`${stuffed}${stuffed.endsWith('\r\n') ? '' : '\r\n'}.\r\n`);
        const response = await expect([250], 'the message');
        await command('QUIT', [221]).catch(() => undefined);
        return { messageId, accepted, response };
      } finally {
        socket.destroy();
      }
    },
  };
}
