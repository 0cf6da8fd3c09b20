/**
 * Several portal processes on one PostgreSQL behave as one portal (issue 15): three real processes
 * (portal/src/main.ts via lab/portalProcess.ts) on one lab PostgreSQL, as behind a load balancer.
 * A nonce issued by one is consumed at another and refused everywhere after; sessions and clerk
 * revocations hold at every process; the rate limit is counted across processes (the database store);
 * a fourth process killed with SIGKILL mid-request loses nothing it acknowledged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../portal/src/config.ts';
import { openDatabase, type PortalDatabase } from '../../../portal/src/db/dialect.ts';
import { nhiSubject } from '../../../portal/src/services/mask.ts';
import { checkNationalId } from '../../../shared/tw/nationalId.ts';
import { writeTrustDir } from '../../../lab/pki/pkiStore.ts';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import { startPortalServer, type PortalServer } from '../../../lab/portalProcess.ts';
import { POSTGRES_MISSING_MESSAGE, startPostgres } from '../../../lab/postgres.ts';
import { makeToken, nhiProofFor, ORIGIN, SAM_MASTER_KEY_HEX } from './harness.ts';

const postgres = await startPostgres();
const RATE_LIMIT = 8;

interface ErrorBody {
  error: { code: string; field?: string };
}

/** A valid national ID for a test holder: the check digit that makes `prefix` + digit valid. */
function nationalId(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (checkNationalId(`${prefix}${d}`).valid) return `${prefix}${d}`;
  throw new Error(`no check digit for ${prefix}`);
}

describe.skipIf(!postgres)('three portal processes on one PostgreSQL', () => {
  let pki: TestPki;
  let dir: string;
  let env: Record<string, string>;
  let database: PortalDatabase;
  const portals: PortalServer[] = [];

  beforeAll(async () => {
    pki = await createTestPki();
    dir = mkdtempSync(join(tmpdir(), 'cardbridge-portal-multi-'));
    writeTrustDir(pki, join(dir, 'trust'));
    env = {
      DATABASE_URL: postgres!.url,
      // One origin for all: tokens and NHI challenges are bound to the portal, not to a process.
      PORTAL_ORIGIN: ORIGIN,
      PORTAL_TRUST_DIR: join(dir, 'trust'),
      PORTAL_NHI_SAM_MASTER_KEY: SAM_MASTER_KEY_HEX,
      PORTAL_OUTBOX_DIR: join(dir, 'outbox'),
      PORTAL_RATE_LIMIT_MAX: String(RATE_LIMIT),
      PORTAL_MAX_CLERKS: '100',
      PORTAL_LOG_LEVEL: 'warn',
      // The test stands for the load balancer on 127.0.0.1.
      PORTAL_TRUST_PROXY: '127.0.0.1',
    };
    // The first migrates and seeds; the others find the database ready.
    portals.push(await startPortalServer(env, { startTimeoutMs: 120_000 }));
    portals.push(
      ...(await Promise.all([1, 2].map(() => startPortalServer(env, { startTimeoutMs: 120_000 })))),
    );
    database = openDatabase(loadConfig(env).database);
    const registered = await portals[0]!.api<ErrorBody>('POST', '/api/registrations', {
      body: { proof: await certificateProof(portals[0]!) },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(200);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(portals.map((p) => p.stop()));
    await database?.close();
    await postgres?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  // Each test counts its own attempts (the limit is per client address, and all run on 127.0.0.1).
  beforeEach(async () => {
    await database.db.deleteFrom('rate_limits').execute();
  });

  const a = () => portals[0]!;
  const b = () => portals[1]!;
  const c = () => portals[2]!;

  async function nonceFrom(portal: PortalServer): Promise<string> {
    const { status, body } = await portal.api<{ nonce: string }>('POST', '/api/nonces');
    expect(status).toBe(200);
    return body.nonce;
  }

  async function certificateProof(portal: PortalServer, leaf = pki.leaves.company) {
    const nonce = await nonceFrom(portal);
    return { kind: 'certificate', nonce, token: await makeToken(leaf, nonce) };
  }

  async function unitLogin(portal: PortalServer): Promise<string> {
    const login = await portal.api<{ sessionToken: string }>('POST', '/api/sessions', {
      body: { role: 'unit', proof: await certificateProof(portal) },
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    return login.body.sessionToken;
  }

  it('consumes a nonce issued by one process at another, and refuses its replay at every process', async () => {
    const proof = await certificateProof(a());
    const login = await b().api('POST', '/api/sessions', { body: { role: 'unit', proof } });
    expect(login.status).toBe(200);
    for (const portal of [a(), b(), c()]) {
      const replay = await portal.api<ErrorBody>('POST', '/api/sessions', { body: { role: 'unit', proof } });
      expect(replay.status).toBe(401);
      expect(replay.body.error.code).toBe('ERR_PORTAL_NONCE_INVALID');
    }
    // The same proof sent to all three at once: exactly one login.
    const raced = await certificateProof(c());
    const answers = await Promise.all(
      [a(), b(), c()].map((p) => p.api('POST', '/api/sessions', { body: { role: 'unit', proof: raced } })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 401, 401]);
  }, 120_000);

  it('honours a session at every process and ends it everywhere at logout', async () => {
    const token = await unitLogin(b());
    for (const portal of [a(), b(), c()]) {
      expect((await portal.api('GET', '/api/home', { token })).status).toBe(200);
    }
    expect((await c().api('DELETE', '/api/sessions/current', { token })).status).toBe(200);
    for (const portal of [a(), b(), c()]) {
      const after = await portal.api<ErrorBody>('GET', '/api/home', { token });
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('ERR_PORTAL_SESSION_EXPIRED');
    }
  }, 120_000);

  it("ends a revoked clerk's session at every process", async () => {
    const unitToken = await unitLogin(a());
    const card = { cardNumber: '000012345681', idNumber: 'E122334457' };
    const added = await a().api<{ clerk: { id: string } }>('POST', '/api/units/current/clerks', {
      token: unitToken,
      body: { kind: 'nhi-card', ...card, name: '張志明 TEST' },
    });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const password = await b().api('POST', '/api/nhi-cards/password', {
      body: { proof: await nhiProofFor(await nonceFrom(b()), card.cardNumber) },
    });
    expect(password.status, JSON.stringify(password.body)).toBe(200);
    const clerkLogin = await c().api<{ sessionToken: string }>('POST', '/api/sessions', {
      body: { role: 'clerk', proof: await nhiProofFor(await nonceFrom(c()), card.cardNumber) },
    });
    expect(clerkLogin.status, JSON.stringify(clerkLogin.body)).toBe(200);
    const clerkToken = clerkLogin.body.sessionToken;
    expect((await a().api('GET', '/api/home', { token: clerkToken })).status).toBe(200);

    const revoked = await b().api('DELETE', `/api/units/current/clerks/${added.body.clerk.id}`, {
      token: unitToken,
    });
    expect(revoked.status).toBe(200);
    for (const portal of [a(), b(), c()]) {
      expect((await portal.api('GET', '/api/home', { token: clerkToken })).status).toBe(401);
    }
  }, 120_000);

  it('counts the rate limit across processes', async () => {
    const portalsInTurn = Array.from({ length: RATE_LIMIT }, (_, i) => portals[i % 3]!);
    for (const portal of portalsInTurn) {
      expect((await portal.api('POST', '/api/nonces')).status).toBe(200);
    }
    // Each process alone saw at most 3 attempts; together the client has used up its limit.
    for (const portal of [a(), b(), c()]) {
      const limited = await portal.api<ErrorBody>('POST', '/api/nonces');
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe('ERR_PORTAL_RATE_LIMITED');
    }
    const rows = await database.db.selectFrom('rate_limits').selectAll().execute();
    expect(rows.map((r) => [r.key, r.hits])).toEqual([['POST/api/nonces-127.0.0.1', RATE_LIMIT + 3]]);
  }, 120_000);

  it('counts each client behind the load balancer by its X-Forwarded-For address, at every process', async () => {
    const nonceFor = (portal: PortalServer, client: string) =>
      fetch(`${portal.origin}/api/nonces`, { method: 'POST', headers: { 'X-Forwarded-For': client } });
    for (let i = 0; i < RATE_LIMIT; i++) {
      expect((await nonceFor(portals[i % 3]!, '198.51.100.7')).status).toBe(200);
    }
    expect((await nonceFor(b(), '198.51.100.7')).status).toBe(429);
    // Another client (and the balancer's own address) still has its own allowance.
    expect((await nonceFor(c(), '198.51.100.8')).status).toBe(200);
    expect((await a().api('POST', '/api/nonces')).status).toBe(200);
    const audit = await database.db
      .selectFrom('audit')
      .select('client_ip')
      .where('error_code', '=', 'ERR_PORTAL_RATE_LIMITED')
      .execute();
    expect(audit.map((r) => r.client_ip)).toContain('198.51.100.7');
  }, 120_000);

  it('loses nothing a process acknowledged before it was killed (SIGKILL mid-request)', async () => {
    const doomed = await startPortalServer(env, { startTimeoutMs: 120_000 });
    const clerks = Array.from({ length: 12 }, (_, i) => ({
      cardNumber: `0000776655${String(10 + i)}`,
      idNumber: nationalId(`G123005${String(10 + i)}`),
      name: `Kill Clerk ${String.fromCharCode(65 + i)} TEST`,
    }));
    await database.db
      .insertInto('nhi_cards')
      .values(
        clerks.map((k) => ({
          card_number: k.cardNumber,
          holder_id: k.idNumber,
          holder_name: k.name,
          password_hash: null,
          password_set_at: null,
          password_locked_until: null,
        })),
      )
      .execute();
    const unitToken = await unitLogin(a());
    const requests = clerks.map((clerk) =>
      doomed
        .api<{ clerk?: { id: string } }>('POST', '/api/units/current/clerks', {
          token: unitToken,
          body: { kind: 'nhi-card', ...clerk },
        })
        .then(
          (r) => (r.status === 200 ? r.body.clerk?.id : undefined),
          () => undefined,
        ),
    );
    await Promise.race(requests);
    process.kill(doomed.pid, 'SIGKILL');
    const acknowledged = (await Promise.all(requests)).filter((id): id is string => id !== undefined);
    await doomed.stop();
    expect(acknowledged.length).toBeGreaterThanOrEqual(1);

    // The surviving processes see every acknowledged clerk, with its audit row and its queued mail.
    const listed = await c().api<{ clerks: Array<{ id: string; status: string }> }>(
      'GET',
      '/api/units/current/clerks',
      { token: unitToken },
    );
    expect(listed.status).toBe(200);
    const active = new Set(listed.body.clerks.filter((k) => k.status === 'active').map((k) => k.id));
    for (const id of acknowledged) expect(active.has(id), id).toBe(true);
    const rows = await database.db
      .selectFrom('clerks')
      .select(['id', 'credential_key'])
      .where('id', 'in', acknowledged)
      .execute();
    const audits = await database.db
      .selectFrom('audit')
      .select('detail')
      .where('event', '=', 'clerk-add')
      .where('outcome', '=', 'success')
      .execute();
    const audited = new Set(audits.map((r) => r.detail));
    expect(rows).toHaveLength(acknowledged.length);
    for (const row of rows) expect(audited.has(`clerk ${nhiSubject(row.credential_key)}`)).toBe(true);
    const mails = await database.db
      .selectFrom('mail_outbox')
      .select('body')
      .where('event', '=', 'clerk-added')
      .execute();
    for (const clerk of clerks.filter((k) => rows.some((r) => r.credential_key === k.cardNumber))) {
      expect(
        mails.some((m) => m.body.includes(clerk.name)),
        clerk.name,
      ).toBe(true);
    }
    // The others keep serving.
    for (const portal of [a(), b(), c()]) expect((await portal.api('GET', '/api/health')).status).toBe(200);
  }, 180_000);
});

describe.skipIf(postgres)('three portal processes on one PostgreSQL', () => {
  it.skip(POSTGRES_MISSING_MESSAGE, () => undefined);
});
