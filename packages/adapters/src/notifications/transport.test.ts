import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { partnerStatusUpdate } from './drafts.ts';
import { buildMessage, createSmtpTransport, dotStuff, SmtpError } from './transport.ts';

interface Received {
  commands: string[];
  data: string;
}

/** A tiny SMTP server on 127.0.0.1 that records what it is sent; refuses RCPT to `refuse@…`. */
async function startServer(): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((socket: Socket) => {
    const session: Received = { commands: [], data: '' };
    received.push(session);
    let inData = false;
    let buf = '';
    socket.setEncoding('utf8');
    socket.write('220 test.local ESMTP ready\r\n');
    socket.on('data', (chunk: string) => {
      buf += chunk;
      for (;;) {
        if (inData) {
          const end = buf.indexOf('\r\n.\r\n');
          if (end < 0) return;
          session.data = buf.slice(0, end + 2);
          buf = buf.slice(end + 5);
          inData = false;
          socket.write('250 2.0.0 Ok: queued as ABC123\r\n');
          continue;
        }
        const i = buf.indexOf('\r\n');
        if (i < 0) return;
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        session.commands.push(line);
        const verb = line.split(/[ :]/)[0]!.toUpperCase();
        if (verb === 'EHLO') socket.write('250-test.local\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
        else if (verb === 'AUTH') socket.write('235 2.7.0 Authentication successful\r\n');
        else if (verb === 'MAIL') socket.write('250 2.1.0 Ok\r\n');
        else if (verb === 'RCPT')
          socket.write(line.includes('refuse@') ? '550 5.1.1 No such user\r\n' : '250 2.1.5 Ok\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 2.0.0 Bye\r\n');
        } else socket.write('502 5.5.2 Error: command not recognized\r\n');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, received };
}

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

const draft = partnerStatusUpdate({
  partner: { name: 'Zoë Partners', contactEmail: 'zoe@partner.example' },
  referral: { referralId: 'R-1', company: 'Acme', status: 'contacted', ownerName: 'Sam' },
  portalUrl: 'https://portal.example/referrals/R-1',
});

function decodeParts(data: string): string[] {
  return [
    ...data.matchAll(/Content-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n(?:--|$)/g),
  ].map((m) => Buffer.from(m[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8'));
}

describe('SMTP transport', () => {
  it('delivers a draft to a local SMTP server: envelope, headers and both parts', async () => {
    const s = await startServer();
    server = s.server;
    const smtp = createSmtpTransport({
      host: '127.0.0.1',
      port: s.port,
      from: 'partners@vendor.example',
      auth: { user: 'u', pass: 'p' },
      now: () => new Date('2026-01-05T09:00:00Z'),
    });
    const sent = await smtp.send(draft);
    expect(sent.accepted).toEqual(['zoe@partner.example']);
    expect(sent.response).toBe('250 2.0.0 Ok: queued as ABC123');
    const [session] = s.received;
    expect(session!.commands).toEqual([
      'EHLO localhost',
      `AUTH PLAIN ${Buffer.from('\0u\0p').toString('base64')}`,
      'MAIL FROM:<partners@vendor.example>',
      'RCPT TO:<zoe@partner.example>',
      'DATA',
      'QUIT',
    ]);
    const data = session!.data;
    expect(data).toContain('From: partners@vendor.example\r\n');
    expect(data).toContain('To: zoe@partner.example\r\n');
    expect(data).toContain('Subject: Update on your referral Acme: contacted\r\n');
    expect(data).toContain('Date: Mon, 05 Jan 2026 09:00:00 +0000\r\n');
    expect(data).toContain(`Message-ID: <${sent.messageId}>\r\n`);
    expect(data).toContain('Content-Type: multipart/alternative;');
    const [text, html] = decodeParts(data);
    expect(text).toBe(draft.text);
    expect(html).toBe(draft.html);
    expect(text).toContain('Hello Zoë Partners,');
  });

  it('dot-stuffs lines that start with a dot, and encodes a non-ASCII subject', () => {
    expect(dotStuff('.a\r\nb\r\n.\r\n..c')).toBe('..a\r\nb\r\n..\r\n...c');
    const msg = buildMessage(
      { to: ['b@x.example'], subject: 'Ünïcode', text: 'x' },
      'a@v.example',
      'id@v',
      new Date(0),
    );
    expect(msg).toContain(`Subject: =?UTF-8?B?${Buffer.from('Ünïcode').toString('base64')}?=\r\n`);
    expect(msg).toContain('Content-Type: text/plain; charset=utf-8\r\n');
  });

  it('fails with an SmtpError naming the refused recipient and the server reply', async () => {
    const s = await startServer();
    server = s.server;
    const smtp = createSmtpTransport({ host: '127.0.0.1', port: s.port, from: 'a@vendor.example' });
    const err = await smtp
      .send({ to: ['refuse@x.example'], subject: 's', text: 't' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SmtpError);
    expect((err as SmtpError).code).toBe('smtp');
    expect((err as SmtpError).message).toContain('refuse@x.example');
    expect((err as SmtpError).reply).toBe('550 5.1.1 No such user');
  });

  it('fails with an SmtpError when nothing listens', async () => {
    const s = await startServer();
    const port = s.port;
    s.server.close();
    await once(s.server, 'close');
    const smtp = createSmtpTransport({ host: '127.0.0.1', port, from: 'a@vendor.example', timeoutMs: 2000 });
    await expect(smtp.send({ to: ['b@x.example'], subject: 's', text: 't' })).rejects.toBeInstanceOf(
      SmtpError,
    );
  });
});
