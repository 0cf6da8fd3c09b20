/**
 * The portal's hardening (issue 15, defects 2 and 4–8): control characters refused and audited on
 * both databases, security headers and no-store on every answer, oversized bodies and headers
 * answered in the portal's format over a real socket, a file outbox that survives a broken file, and
 * the outbox pages only when turned on.
 */
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import {
  auditRows,
  certificateProof,
  createPortal,
  errorOf,
  get,
  loginUnit,
  post,
  registerWith,
  startBackends,
  type Portal,
} from './harness.ts';
import { describeEachBackend } from './eachBackend.ts';

const backends = await startBackends();
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
}, 120_000);
afterAll(async () => {
  await backends.postgres?.stop();
});

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends `head` and then `body` (in 64 KiB writes) on a plain TCP socket, like a simple client: it reads
 * only once the whole request is written. Resolves with the first complete HTTP answer (rejects if the
 * connection ends or is reset without one).
 */
function rawRequest(port: number, head: string, body: Buffer | undefined): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    let done = false;
    const parse = (): RawAnswer | undefined => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const lines = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? NaN);
      if (!Number.isFinite(length) || received.length < end + 4 + length) return undefined;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(lines[0]!)?.[1]);
      return { status, headers, body: received.subarray(end + 4, end + 4 + length).toString('utf8') };
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const answer = parse();
      if (answer && !done) {
        done = true;
        socket.destroy();
        resolve(answer);
      }
    });
    const fail = (error?: Error) => {
      if (done) return;
      done = true;
      reject(error ?? new Error(`connection ended without an answer (${received.length} bytes)`));
    };
    socket.on('error', fail);
    socket.on('close', () => fail());
    socket.pause();
    socket.on('connect', () => {
      socket.write(head);
      if (!body) {
        socket.resume();
        return;
      }
      const write = (offset: number) => {
        while (offset < body.length && !socket.destroyed) {
          const next = Math.min(offset + 65_536, body.length);
          if (!socket.write(body.subarray(offset, next))) {
            socket.once('drain', () => write(next));
            return;
          }
          offset = next;
        }
        if (offset >= body.length) socket.resume();
      };
      write(0);
    });
  });
}

/** A chunked body of `size` bytes of JSON-ish text, as HTTP/1.1 chunks of 64 KiB. */
function chunked(size: number): Buffer {
  const parts: Buffer[] = [];
  for (let sent = 0; sent < size; sent += 65_536) {
    const data = Buffer.alloc(Math.min(65_536, size - sent), 'a');
    parts.push(Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

const FOUR_MB = 4 * 1024 * 1024;

describeEachBackend(backends, 'portal hardening on $name', (backend) => {
  let portal: Portal | undefined;
  const open = async (env: Record<string, string> = {}) =>
    (portal = await createPortal(backend, { pki, env }));
  afterEach(async () => {
    await portal?.close();
    portal = undefined;
  });

  it('refuses a NUL in a login with a 400 and audits it', async () => {
    const { app, db } = await open();
    await registerWith(app, pki.leaves.company);
    const response = await post(app, '/api/sessions', {
      role: 'unit',
      unitCode: '\u0000',
      proof: await certificateProof(app, pki.leaves.company),
    });
    expect(response.statusCode).toBe(400);
    expect(errorOf(response)).toMatchObject({ code: 'ERR_PORTAL_CONTROL_CHARACTER', field: 'unitCode' });
    expect(await auditRows(db, 'request-refused')).toMatchObject([
      { outcome: 'refused', error_code: 'ERR_PORTAL_CONTROL_CHARACTER' },
    ]);
  });

  it('refuses control characters in names and e-mails with a 400, never a 500', async () => {
    const { app, db } = await open();
    await registerWith(app, pki.leaves.company);
    const token = await loginUnit(app, pki.leaves.company);
    const clerk = { kind: 'nhi-card', cardNumber: '000012345681', idNumber: 'E122334457' };
    for (const [body, field] of [
      [{ ...clerk, name: '王\u0000小明' }, 'name'],
      [{ ...clerk, name: '王小明\r\nBcc: x@evil.example' }, 'name'],
      [{ ...clerk, name: '王小明\u0085' }, 'name'],
      [{ ...clerk, name: '王小明', email: 'a\u0000b@example.test' }, 'email'],
    ] as const) {
      const response = await post(app, '/api/units/current/clerks', body, token);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(errorOf(response)).toMatchObject({ code: 'ERR_PORTAL_CONTROL_CHARACTER', field });
    }
    const registration = await post(app, '/api/registrations', {
      proof: await certificateProof(app, pki.leaves.agency),
      email: 'hr\u0000@example.test',
    });
    expect(registration.statusCode).toBe(400);
    expect(await db.selectFrom('clerks').selectAll().execute()).toEqual([]);
    expect((await auditRows(db, 'request-refused')).map((r) => r.error_code)).toEqual(
      Array(5).fill('ERR_PORTAL_CONTROL_CHARACTER'),
    );
  });

  it('sends the security headers on every answer, and no-store on all but public ones', async () => {
    const { app } = await open({ PORTAL_DEV_OUTBOX: '1' });
    await registerWith(app, pki.leaves.company);
    const login = await post(app, '/api/sessions', {
      role: 'unit',
      proof: await certificateProof(app, pki.leaves.company),
    });
    const token = login.json<{ sessionToken: string }>().sessionToken;
    const answers = {
      health: await get(app, '/api/health'),
      login,
      clerks: await get(app, '/api/units/current/clerks', token),
      refused: await get(app, '/api/home'),
      missing: await get(app, '/nothing-here'),
      openapi: await get(app, '/openapi.json'),
      outboxPage: await get(app, '/dev/outbox'),
      outboxJson: await get(app, '/api/dev/outbox'),
    };
    for (const [name, response] of Object.entries(answers)) {
      expect(response.headers['x-content-type-options'], name).toBe('nosniff');
      expect(response.headers['x-frame-options'], name).toBe('DENY');
      expect(response.headers['referrer-policy'], name).toBe('no-referrer');
      const csp = String(response.headers['content-security-policy']);
      expect(csp, name).toContain("default-src 'none'");
      expect(csp, name).toContain("frame-ancestors 'none'");
      expect(csp, name).not.toContain('unsafe-inline');
      if (name === 'health') expect(response.headers['cache-control'], name).toBeUndefined();
      else expect(response.headers['cache-control'], name).toBe('no-store');
    }
    expect(answers.login.statusCode).toBe(200);
    expect(answers.clerks.statusCode).toBe(200);
    // The outbox page's own style is allowed by its hash, nothing else.
    expect(answers.outboxPage.headers['content-security-policy']).toMatch(
      /style-src 'sha256-[A-Za-z0-9+/]+='/,
    );
  });

  it('serves the outbox pages only when PORTAL_DEV_OUTBOX=1', async () => {
    const { app } = await open();
    await registerWith(app, pki.leaves.company);
    for (const url of ['/api/dev/outbox', '/dev/outbox']) {
      const response = await get(app, url);
      expect(response.statusCode, url).toBe(404);
      expect(errorOf(response).code).toBe('ERR_PORTAL_NOT_FOUND');
      expect(response.body).not.toContain('company.example.test');
    }
  });

  it('lists the file outbox although a crash left an empty or broken .json beside the mails', async () => {
    const { app, outboxDir } = await open({ PORTAL_DEV_OUTBOX: '1' });
    await registerWith(app, pki.leaves.company);
    writeFileSync(join(outboxDir, '0000-empty.json'), '');
    writeFileSync(join(outboxDir, '0001-half.json'), '{"id": "0001-half", "to": ');
    writeFileSync(join(outboxDir, '0002-other.json'), '{"id": 7}');
    const response = await get(app, '/api/dev/outbox');
    expect(response.statusCode).toBe(200);
    expect(response.json<{ mails: Array<{ event: string }> }>().mails.map((m) => m.event)).toEqual([
      'registration-approved',
    ]);
    expect((await get(app, '/dev/outbox')).statusCode).toBe(200);
  });

  it('answers 4 MB bodies (chunked and with Content-Length) with a readable 413, every time', async () => {
    const { app, db } = await open();
    const address = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const port = Number(address.port);
    const head = (framing: string) =>
      `POST /api/registrations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`;
    const bodyChunked = chunked(FOUR_MB);
    const bodyPlain = Buffer.alloc(FOUR_MB, 'a');
    for (let i = 0; i < 10; i++) {
      for (const [name, answer] of [
        ['chunked', await rawRequest(port, head('Transfer-Encoding: chunked'), bodyChunked)],
        ['content-length', await rawRequest(port, head(`Content-Length: ${FOUR_MB}`), bodyPlain)],
      ] as const) {
        expect(answer.status, `${name} try ${i}`).toBe(413);
        expect(answer.headers['content-type']).toMatch(/^application\/json/);
        expect(JSON.parse(answer.body)).toEqual({
          error: { code: 'ERR_PORTAL_BODY_TOO_LARGE', message: expect.any(String) as unknown },
        });
      }
    }
    expect((await auditRows(db, 'request-refused')).length).toBe(20);
  }, 120_000);

  it("answers headers too large for Node's parser with a 431 in the portal's format", async () => {
    const { app } = await open();
    const address = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
    const answer = await rawRequest(
      Number(address.port),
      `GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ${'x'.repeat(100_000)}\r\n\r\n`,
      undefined,
    );
    expect(answer.status).toBe(431);
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: 'ERR_PORTAL_HEADERS_TOO_LARGE', message: expect.any(String) as unknown },
    });
  });
});
