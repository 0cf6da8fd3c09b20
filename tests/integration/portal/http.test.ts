/**
 * Portal over HTTP: a real listening server, CORS (only the extension's origin), rate limits answered
 * with a portal error body, /openapi.json listing every route, the file outbox pages, error bodies
 * that never leak internals, and the CLI entry (migrate, seed, listen, clean shutdown). SQLite and
 * PostgreSQL for the API parts.
 */
import { execFileSync, spawn } from 'node:child_process';
import https from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import {
  auditRows,
  certificateProof,
  createPortal,
  errorOf,
  EXTENSION_ORIGIN,
  get,
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

/** Every route of portal/API.md, as OpenAPI paths. */
const ROUTES = [
  ['get', '/api/health'],
  ['post', '/api/nonces'],
  ['post', '/api/nhi-cards/password'],
  ['post', '/api/registrations'],
  ['delete', '/api/registrations/current'],
  ['post', '/api/sessions'],
  ['get', '/api/sessions/current'],
  ['delete', '/api/sessions/current'],
  ['get', '/api/units/current/clerks'],
  ['post', '/api/units/current/clerks'],
  ['delete', '/api/units/current/clerks/{clerkId}'],
  ['get', '/api/home'],
  ['get', '/api/filings/roster'],
  ['get', '/api/filings/roster.csv'],
  ['get', '/api/filings/history'],
  ['get', '/api/filings/history.csv'],
  ['post', '/api/filings/reveal'],
  ['post', '/api/filings/batches/preview'],
  ['get', '/api/filings/batches/template.csv'],
  ['get', '/api/filings/batches/template.xlsx'],
  ['get', '/api/units/current/slip-subscription'],
  ['post', '/api/units/current/slip-subscription'],
  ['delete', '/api/units/current/slip-subscription'],
  ['get', '/slips/confirm'],
  ['post', '/slips/confirm'],
  ['get', '/api/units/current/slips'],
  ['get', '/api/units/current/slips/{period}/slip'],
  ['get', '/api/units/current/slips/{period}/statements/{kind}/pdf'],
  ['get', '/api/units/current/slips/{period}/statements/{kind}/csv'],
  ['post', '/api/filings/submissions'],
  ['get', '/api/filings/submissions/{id}'],
  ['get', '/api/filings/submissions/{id}/signature'],
  ['get', '/dev/outbox'],
  ['get', '/api/dev/outbox'],
  ['get', '/openapi.json'],
] as const;

describeEachBackend(backends, 'portal over HTTP on $name', (backend) => {
  let portal: Portal | undefined;
  const open = async (env: Record<string, string> = {}) =>
    (portal = await createPortal(backend, { pki, env }));
  afterEach(async () => {
    await portal?.close();
    portal = undefined;
  });

  it('serves the API on a real socket, with the Date header', async () => {
    const { app, clock } = await open();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(`${address}/api/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('date')).toBeTruthy();
    const body = (await response.json()) as { ok: boolean; version: string; time: string };
    expect(body).toEqual({ ok: true, version: '0.1.0', time: new Date(clock.now).toISOString() });
    const nonce = await fetch(`${address}/api/nonces`, { method: 'POST' });
    expect(nonce.status).toBe(200);
  });

  it('rate-limits nonces and logins with a portal error body, audited', async () => {
    const { app, db } = await open({ PORTAL_RATE_LIMIT_MAX: '3' });
    for (let i = 0; i < 3; i++) expect((await post(app, '/api/nonces', undefined)).statusCode).toBe(200);
    const limited = await post(app, '/api/nonces', undefined);
    expect(limited.statusCode).toBe(429);
    expect(errorOf(limited)).toEqual({
      code: 'ERR_PORTAL_RATE_LIMITED',
      message: 'Too many attempts in a short time. Please wait a minute and try again.',
    });
    expect(limited.headers['retry-after']).toBeTruthy();
    const logins = [];
    for (let i = 0; i < 4; i++) logins.push(await post(app, '/api/sessions', { role: 'unit' }));
    expect(logins.map((r) => r.statusCode)).toEqual([400, 400, 400, 429]);
    // Other routes are not limited.
    expect((await get(app, '/api/health')).statusCode).toBe(200);
    // Every refusal is audited: the limits and the three malformed logins too.
    expect((await auditRows(db, 'request-refused')).map((r) => r.error_code)).toEqual([
      'ERR_PORTAL_RATE_LIMITED',
      'ERR_PORTAL_BAD_REQUEST',
      'ERR_PORTAL_BAD_REQUEST',
      'ERR_PORTAL_BAD_REQUEST',
      'ERR_PORTAL_RATE_LIMITED',
    ]);
  });

  it('allows the extension origin (Date exposed) and refuses a foreign origin', async () => {
    const { app, db } = await open();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/sessions',
      headers: {
        origin: EXTENSION_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(EXTENSION_ORIGIN);
    expect(String(preflight.headers['access-control-allow-headers'])).toMatch(/authorization/i);
    const allowed = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: EXTENSION_ORIGIN },
    });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(EXTENSION_ORIGIN);
    expect(allowed.headers['access-control-expose-headers']).toBe('Date');

    // The health route (version and clock) is public, for any extension's clock check.
    const publicHealth = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'moz-extension://0e9f5a6c-1111-4222-8333-944455556666' },
    });
    expect(publicHealth.statusCode).toBe(200);
    expect(publicHealth.headers['access-control-allow-origin']).toBe('*');
    expect(publicHealth.headers['access-control-expose-headers']).toBe('Date');

    for (const request of [
      { method: 'GET' as const, url: '/api/home', headers: { origin: 'https://evil.example.test' } },
      { method: 'POST' as const, url: '/api/nonces', headers: { origin: 'https://evil.example.test' } },
      {
        method: 'OPTIONS' as const,
        url: '/api/sessions',
        headers: {
          origin: 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
          'access-control-request-method': 'POST',
        },
      },
    ]) {
      const refused = await app.inject(request);
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      expect(errorOf(refused).code).toBe('ERR_PORTAL_ORIGIN_NOT_ALLOWED');
    }
    expect((await auditRows(db, 'request-refused')).map((r) => r.error_code)).toEqual([
      'ERR_PORTAL_ORIGIN_NOT_ALLOWED',
      'ERR_PORTAL_ORIGIN_NOT_ALLOWED',
      'ERR_PORTAL_ORIGIN_NOT_ALLOWED',
    ]);
  });

  it('lets Firefox extension pages in only when PORTAL_CORS_ORIGINS lists moz-extension://*', async () => {
    const firefoxPage = 'moz-extension://0e9f5a6c-1111-4222-8333-944455556666';
    const nonceFrom = (app: Portal['app']) =>
      app.inject({ method: 'POST', url: '/api/nonces', payload: {}, headers: { origin: firefoxPage } });
    const strict = await open();
    expect((await nonceFrom(strict.app)).statusCode).toBe(403);
    await strict.close();
    portal = undefined;
    const { app } = await open({ PORTAL_CORS_ORIGINS: `${EXTENSION_ORIGIN},moz-extension://*` });
    const allowed = await nonceFrom(app);
    expect(allowed.statusCode).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(firefoxPage);
  });

  it('describes every route in /openapi.json, with error responses', async () => {
    const { app } = await open({ PORTAL_DEV_OUTBOX: '1' });
    const response = await get(app, '/openapi.json');
    expect(response.statusCode).toBe(200);
    const spec = response.json<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    }>();
    expect(spec.openapi).toMatch(/^3\./);
    const listed = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect(listed.sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
    for (const [method, path] of ROUTES.filter(([, p]) => p.startsWith('/api/'))) {
      expect(Object.keys(spec.paths[path]![method]!.responses), `${method} ${path}`).toEqual(
        expect.arrayContaining(['200', '4XX']),
      );
    }
  });

  it('lists the file outbox as JSON and as an escaped HTML page', async () => {
    const { app } = await open({ PORTAL_DEV_OUTBOX: '1' });
    await registerWith(app, pki.leaves.company);
    const json = await get(app, '/api/dev/outbox');
    expect(json.json<{ mails: Array<{ event: string; to: string }> }>().mails).toMatchObject([
      { event: 'registration-approved', to: 'hr@company.example.test' },
    ]);
    const html = await get(app, '/dev/outbox');
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect(html.body).toContain('單位註冊審核通過');
    expect(html.body).toContain('hr@company.example.test');
    expect(html.body).not.toMatch(/<script/i);
  });

  it('answers unknown routes, malformed JSON and internal failures with portal errors only', async () => {
    const { app, db } = await open();
    const missing = await get(app, '/api/nothing-here');
    expect(missing.statusCode).toBe(404);
    expect(errorOf(missing).code).toBe('ERR_PORTAL_NOT_FOUND');
    const malformed = await app.inject({
      method: 'POST',
      url: '/api/sessions',
      headers: { 'content-type': 'application/json' },
      payload: '{"role":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(errorOf(malformed).code).toBe('ERR_PORTAL_BAD_REQUEST');
    const unknownField = await post(app, '/api/registrations', {
      proof: await certificateProof(app, pki.leaves.company),
      admin: true,
    });
    expect(errorOf(unknownField)).toMatchObject({ code: 'ERR_PORTAL_BAD_REQUEST', field: 'admin' });
    await db.schema.dropTable('audit').execute();
    const broken = await post(app, '/api/registrations', {
      proof: await certificateProof(app, pki.leaves.company),
    });
    expect(broken.statusCode).toBe(500);
    expect(broken.json()).toEqual({
      error: { code: 'ERR_PORTAL_INTERNAL', message: expect.any(String) as unknown },
    });
    expect(broken.body).not.toMatch(/audit|relation|table|sql/i);
  });
});

describe('portal CLI (portal/src/main.ts)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cardbridge-portal-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'portal/src/main.ts'], {
      env: { ...process.env, PORTAL_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, output: () => output };
  }

  it('migrates, seeds, listens, prints the URL and closes on SIGTERM', async () => {
    const cli = run({
      PORTAL_PORT: '0',
      DATABASE_URL: join(dir, 'portal.sqlite'),
      PORTAL_OUTBOX_DIR: join(dir, 'outbox'),
    });
    const deadline = Date.now() + 20_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.output())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 100));
    }
    expect(url, cli.output()).toBeDefined();
    expect(cli.output()).toContain('seeded');
    expect((await fetch(`${url}/api/health`)).status).toBe(200);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('stops with a clear message for a bad setting', async () => {
    const cli = run({ PORTAL_PORT: 'eighty', PORTAL_MAX_CLERKS: '0' });
    expect(await cli.exited).toBe(1);
    expect(cli.output()).toContain('PORTAL_PORT must be a whole number');
    expect(cli.output()).toContain('PORTAL_MAX_CLERKS');
  });

  it('serves HTTPS with the configured certificate and key', async () => {
    const cert = join(dir, 'tls.crt');
    const key = join(dir, 'tls.key');
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1'].concat([
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]),
      { stdio: 'ignore' },
    );
    const cli = run({
      PORTAL_PORT: '0',
      DATABASE_URL: join(dir, 'portal-tls.sqlite'),
      PORTAL_OUTBOX_DIR: join(dir, 'outbox-tls'),
      PORTAL_ORIGIN: 'https://127.0.0.1:8443',
      PORTAL_TLS_CERT: cert,
      PORTAL_TLS_KEY: key,
    });
    const deadline = Date.now() + 20_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /listening on (https:\/\/127\.0\.0\.1:\d+)/.exec(cli.output())?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 100));
    }
    expect(url, cli.output()).toBeDefined();
    // Trusting exactly that certificate, the health route answers over TLS.
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(`${url}/api/health`, { ca: readFileSync(cert) }, (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve(text));
        })
        .on('error', reject);
    });
    expect(JSON.parse(body)).toMatchObject({ ok: true });
    // Plain HTTP on the same port is not served.
    await expect(fetch(url!.replace('https:', 'http:') + '/api/health')).rejects.toThrow();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });
});
