/**
 * Property-based fuzzing of every portal route from its shared schema (PORTAL_ROUTES; issue 15), on
 * SQLite and PostgreSQL. For every generated request: no 5xx; a refusal is the portal's error body,
 * is audited (a refused audit row with its code) and leaves every other table exactly as it was.
 * Bounded: FUZZ_RUNS requests per route (default 20); the seed is printed and FUZZ_SEED replays it.
 */
import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../../portal/src/db/schema.ts';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import { PORTAL_ROUTES, type PortalRoute } from '../../../shared/portal/api.ts';
import { PortalErrorReply } from '../../../shared/portal/errors.ts';
import { createPortal, loginUnit, registerWith, startBackends, type Portal } from './harness.ts';
import { fromSchema, HOSTILE_RAW_BODIES } from './schemaArbitrary.ts';
import { describeEachBackend } from './eachBackend.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
console.info(`routeFuzz: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS}`);

/** Tables a refusal may write to: the audit itself and the rate-limit counters. */
const WRITTEN_BY_REFUSALS = new Set(['audit', 'rate_limits']);

const backends = await startBackends();
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
}, 120_000);
afterAll(async () => {
  await backends.postgres?.stop();
});

async function tableNames(db: Kysely<Database>, kind: 'sqlite' | 'postgres'): Promise<string[]> {
  const query =
    kind === 'sqlite'
      ? sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`
      : sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public'`;
  const { rows } = await query.execute(db);
  return rows
    .map((r) => r.name)
    .filter((name) => !WRITTEN_BY_REFUSALS.has(name) && !name.startsWith('kysely_'))
    .sort();
}

/** Every row of every table but the audit's, in a stable order: equal snapshots, unchanged database. */
async function snapshot(db: Kysely<Database>, tables: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db);
    parts.push(table, ...rows.map((row) => JSON.stringify(row)).sort());
  }
  return parts.join('\n');
}

interface FuzzRequest {
  url: string;
  payload: string | undefined;
  token: 'valid' | 'none' | 'garbage';
}

function requestsFor(route: PortalRoute): fc.Arbitrary<FuzzRequest> {
  const payload = route.body
    ? fc.oneof(
        { weight: 9, arbitrary: fromSchema(route.body).map((value) => JSON.stringify(value)) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_RAW_BODIES) },
      )
    : fc.constant(undefined);
  const params = (route.params as { properties?: Record<string, object> } | undefined)?.properties ?? {};
  const url = fc
    .record(Object.fromEntries(Object.entries(params).map(([name, s]) => [name, fromSchema(s)])))
    .map((values) =>
      route.path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(String(values[name]))),
    );
  const token = route.session
    ? fc.constantFrom<FuzzRequest['token']>('valid', 'valid', 'none', 'garbage')
    : fc.constant<FuzzRequest['token']>('none');
  return fc.record({ url, payload, token });
}

describeEachBackend(backends, 'portal routes fuzzed from their schemas on $name', (backend) => {
  let portal: Portal;
  let token: string;
  let tables: string[];

  beforeAll(async () => {
    portal = await createPortal(backend, { pki });
    await registerWith(portal.app, pki.leaves.company);
    token = await loginUnit(portal.app, pki.leaves.company);
    tables = await tableNames(portal.db, backend.kind);
    expect(tables).toEqual(expect.arrayContaining(['clerks', 'sessions', 'nonces', 'mail_outbox']));
  }, 120_000);
  afterAll(async () => {
    await portal?.close();
  });

  // Found by this fuzz: the router answered these itself (fastify's format, no audit row).
  it("answers the router's own refusals in the portal's format, audited", async () => {
    for (const url of [
      `/api/units/current/clerks/${'a'.repeat(100_000)}`,
      '/api/units/current/clerks/%E0%A4%A',
    ]) {
      const auditBefore = (await portal.db.selectFrom('audit').select('id').execute()).length;
      const response = await portal.app.inject({
        method: 'DELETE',
        url,
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode, url.slice(0, 60)).toBe(400);
      expect(response.json<{ error: { code: string } }>().error.code).toBe('ERR_PORTAL_BAD_REQUEST');
      const audit = await portal.db.selectFrom('audit').selectAll().execute();
      expect(audit.length).toBe(auditBefore + 1);
    }
  });

  it.each(Object.entries(PORTAL_ROUTES))(
    '%s: no 5xx, every refusal audited, nothing changed by a refusal',
    async (_name, route: PortalRoute) => {
      const { app, db } = portal;
      await fc.assert(
        fc.asyncProperty(requestsFor(route), async (request) => {
          const before = await snapshot(db, tables);
          const auditBefore = await db.selectFrom('audit').select('id').execute();
          const headers: Record<string, string> = {};
          if (request.payload !== undefined) headers['content-type'] = 'application/json';
          if (request.token === 'valid') headers.authorization = `Bearer ${token}`;
          if (request.token === 'garbage') headers.authorization = 'Bearer AAAA.not-a-session';
          const response = await app.inject({
            method: route.method,
            url: request.url,
            headers,
            ...(request.payload !== undefined ? { payload: request.payload } : {}),
          });
          const what = `${route.method} ${request.url} ${request.payload?.slice(0, 300) ?? ''} → ${response.statusCode} ${response.body.slice(0, 300)}`;
          expect(response.statusCode, what).toBeLessThan(500);

          if (response.statusCode < 400) {
            if (!route.download) expect(Value.Check(route.reply, response.json()), what).toBe(true);
            // A logout ends the session the next runs use.
            if (route === PORTAL_ROUTES.logout) token = await loginUnit(app, pki.leaves.company);
            return;
          }
          if (
            route.download?.contentType.startsWith('text/html') &&
            String(response.headers['content-type']).startsWith('text/html')
          ) {
            // A page a browser form posts to (the slip address confirmation) refuses a token with a
            // page; what its schema refuses gets the portal's error reply like every route.
            expect(await snapshot(db, tables), what).toBe(before);
            return;
          }
          const body: unknown = response.json();
          expect(Value.Check(PortalErrorReply, body), what).toBe(true);
          const code = (body as { error: { code: string } }).error.code;
          expect(await snapshot(db, tables), what).toBe(before);
          // An address no route has (an empty path parameter) is not a refusal of a route.
          if (code === 'ERR_PORTAL_NOT_FOUND') return;
          const known = new Set(auditBefore.map((r) => r.id));
          const added = (await db.selectFrom('audit').selectAll().execute()).filter((r) => !known.has(r.id));
          expect(
            added.map((r) => [r.outcome, r.error_code]),
            what,
          ).toContainEqual(['refused', code]);
          expect(
            added.filter((r) => r.outcome !== 'refused'),
            what,
          ).toEqual([]);
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
    },
    300_000,
  );
});
