/**
 * Test harness for the portal: one fastify instance per test against a real SQLite file or the lab's
 * PostgreSQL (lab/postgres.ts), an injected clock, the test PKI's trust store, the SAM emulation
 * with a test master key, and mail to the file outbox or the SMTP lab. Helpers build the proofs a
 * browser with CardBridge would send: web-eid tokens signed with the test PKI's leaf keys, and NHI
 * card answers computed like the lab's virtual card.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { TokenAlgorithm } from '../../../shared/authtoken/token.ts';
import { nhiChallenge } from '../../../shared/nhi/challenge.ts';
import { cardResponse, deriveCardKey } from '../../../shared/node/nhi/samEmulation.ts';
import { TrustStore } from '../../../shared/node/pki/trustStore.ts';
import { loadConfig, type PortalConfig } from '../../../portal/src/config.ts';
import { openDatabase, type PortalDatabase } from '../../../portal/src/db/dialect.ts';
import { migrateToLatest } from '../../../portal/src/db/migrate.ts';
import type { AuditRow, Database } from '../../../portal/src/db/schema.ts';
import { seedIfEmpty } from '../../../portal/src/db/seed.ts';
import { createFileOutbox } from '../../../portal/src/mail/fileOutbox.ts';
import type { Mailer } from '../../../portal/src/mail/mailer.ts';
import { createSmtpMailer } from '../../../portal/src/mail/smtpMailer.ts';
import { buildServer } from '../../../portal/src/server.ts';
import { signAuthToken } from '../../../lab/pki/signToken.ts';
import type { IssuedCertificate, TestPki } from '../../../lab/pki/testPki.ts';
import { POSTGRES_MISSING_MESSAGE, startPostgres, type PostgresLab } from '../../../lab/postgres.ts';

export const ORIGIN = 'https://portal.cardbridge.test';
export const SAM_MASTER_KEY_HEX = '5445535420434152444252494447452053414d204d4153544552204b45592121';
export const SAM_MASTER_KEY = Buffer.from(SAM_MASTER_KEY_HEX, 'hex');
export const EXTENSION_ORIGIN = 'chrome-extension://jhnhjpjfldflmfeaagoaifccobiocdil';
export const NHI_PASSWORD = 'Test1234';

export type Backend =
  { name: 'SQLite'; kind: 'sqlite' } | { name: 'PostgreSQL'; kind: 'postgres'; url?: string };
/** A backend a test can open: PostgreSQL's URL is known. */
export type ReadyBackend =
  { name: 'SQLite'; kind: 'sqlite' } | { name: 'PostgreSQL'; kind: 'postgres'; url: string };

export interface Portal {
  app: FastifyInstance;
  db: Kysely<Database>;
  config: PortalConfig;
  /** The injected clock. */
  clock: { now: number; advance(ms: number): void };
  outboxDir: string;
  close(): Promise<void>;
}

export interface PortalOptions {
  pki: TestPki;
  env?: Record<string, string>;
  /** Mail to this SMTP URL instead of the file outbox. */
  smtpUrl?: string;
  trust?: TrustStore | null;
}

const TABLES = [
  'unit_billing_cycles',
  'slip_dispatches',
  'slip_dispatch_runs',
  'slip_subscriptions',
  'dependant_periods',
  'insured_periods',
  'filings',
  'submissions',
  'rate_limits',
  'mail_outbox',
  'audit',
  'sessions',
  'clerks',
  'registrations',
  'nonces',
  'nhi_cards',
  'units',
] as const;

export async function createPortal(backend: Backend, options: PortalOptions): Promise<Portal> {
  const dir = mkdtempSync(join(tmpdir(), 'cardbridge-portal-'));
  const outboxDir = join(dir, 'outbox');
  const env: Record<string, string> = {
    PORTAL_ORIGIN: ORIGIN,
    PORTAL_NHI_SAM_MASTER_KEY: SAM_MASTER_KEY_HEX,
    PORTAL_RATE_LIMIT_MAX: '100000',
    // Tests process filings by calling processPendingSubmissions themselves.
    PORTAL_FILING_PROCESS_MS: '0',
    PORTAL_OUTBOX_DIR: outboxDir,
    DATABASE_URL: backend.kind === 'postgres' ? backend.url! : join(dir, 'portal.sqlite'),
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const database: PortalDatabase = openDatabase(config.database);
  await migrateToLatest(database.db);
  // PostgreSQL is one database for the whole file: start each test from the seed again.
  for (const table of TABLES) await database.db.deleteFrom(table).execute();
  const clock = {
    now: Date.now(),
    advance(ms: number) {
      this.now += ms;
    },
  };
  await seedIfEmpty(database.db, new Date(clock.now));
  const mailer: Mailer =
    config.mail.kind === 'smtp'
      ? createSmtpMailer(config.mail.url, config.mailFrom)
      : createFileOutbox(config.mail.dir, config.mailFrom, () => new Date(clock.now));
  const trust = options.trust === null ? undefined : (options.trust ?? new TrustStore(options.pki.trust));
  const app = await buildServer({
    config,
    db: database.db,
    dbKind: database.kind,
    mailer,
    clock: () => new Date(clock.now),
    ...(trust ? { trust } : {}),
  });
  return {
    app,
    db: database.db,
    config,
    clock,
    outboxDir,
    async close() {
      await app.close();
      await database.close();
      await mailer.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Proofs

export interface TokenOptions {
  origin?: string;
  algorithm?: TokenAlgorithm;
  /** Sign with another key than the certificate's. */
  keyOf?: IssuedCertificate;
}

/** A web-eid:1.0 token, signed like the extension does: H(origin) ‖ H(nonce) with the leaf's key. */
export const makeToken = (leaf: IssuedCertificate, nonce: string, options: TokenOptions = {}) =>
  signAuthToken(leaf, { ...options, origin: options.origin ?? ORIGIN, nonce });

export async function newNonce(app: FastifyInstance): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/nonces' });
  if (response.statusCode !== 200) throw new Error(`nonce: ${response.statusCode} ${response.body}`);
  return response.json<{ nonce: string }>().nonce;
}

export async function certificateProof(
  app: FastifyInstance,
  leaf: IssuedCertificate,
  options: TokenOptions = {},
) {
  const nonce = await newNonce(app);
  return { kind: 'certificate' as const, nonce, token: await makeToken(leaf, nonce, options) };
}

export interface NhiOptions {
  password?: string;
  origin?: string;
  masterKey?: Buffer;
}

/** What the card answers (its key derived from the master key, as the lab's virtual card holds it). */
export async function nhiProofFor(nonce: string, cardNumber: string, options: NhiOptions = {}) {
  const cardKey = deriveCardKey(options.masterKey ?? SAM_MASTER_KEY, cardNumber);
  const response = cardResponse(cardKey, await nhiChallenge(options.origin ?? ORIGIN, nonce));
  return {
    kind: 'nhi-card' as const,
    nonce,
    cardNumber,
    response: response.toString('base64'),
    password: options.password ?? NHI_PASSWORD,
  };
}

export async function nhiProof(app: FastifyInstance, cardNumber: string, options: NhiOptions = {}) {
  return nhiProofFor(await newNonce(app), cardNumber, options);
}

// ---------------------------------------------------------------------------------------------------
// API calls

export function post(app: FastifyInstance, url: string, payload: unknown, token?: string) {
  return app.inject({
    method: 'POST',
    url,
    payload: payload as Record<string, unknown>,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

export function get(app: FastifyInstance, url: string, token?: string) {
  return app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

export function del(app: FastifyInstance, url: string, token?: string, payload?: unknown) {
  return app.inject({
    method: 'DELETE',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

export function errorOf(response: LightMyRequestResponse): { code: string; message: string; field?: string } {
  return response.json<{ error: { code: string; message: string; field?: string } }>().error;
}

export async function setPassword(app: FastifyInstance, cardNumber: string, password = NHI_PASSWORD) {
  const response = await post(app, '/api/nhi-cards/password', {
    proof: await nhiProof(app, cardNumber, { password }),
  });
  if (response.statusCode !== 200) throw new Error(`password: ${response.statusCode} ${response.body}`);
}

export async function registerWith(app: FastifyInstance, leaf: IssuedCertificate) {
  const response = await post(app, '/api/registrations', { proof: await certificateProof(app, leaf) });
  if (response.statusCode !== 200) throw new Error(`register: ${response.statusCode} ${response.body}`);
  return response.json<{ unit: { code: string }; registration: { id: string } }>();
}

export async function loginUnit(app: FastifyInstance, leaf: IssuedCertificate): Promise<string> {
  const response = await post(app, '/api/sessions', {
    role: 'unit',
    proof: await certificateProof(app, leaf),
  });
  if (response.statusCode !== 200) throw new Error(`unit login: ${response.statusCode} ${response.body}`);
  return response.json<{ sessionToken: string }>().sessionToken;
}

export async function auditRows(db: Kysely<Database>, event?: string): Promise<AuditRow[]> {
  let query = db.selectFrom('audit').selectAll().orderBy('id');
  if (event) query = query.where('event', '=', event);
  return query.execute();
}

// ---------------------------------------------------------------------------------------------------
// Backends: SQLite always, PostgreSQL when the lab can start it.

export interface Backends {
  list: Backend[];
  /** Undefined when PostgreSQL is missing: the PostgreSQL variant reports skipped. */
  postgres: PostgresLab | undefined;
}

/** A database of its own on the backend: a SQLite file in `dir`, or the lab's PostgreSQL. */
export function backendDatabase(backend: ReadyBackend, dir: string): PortalDatabase {
  return openDatabase(
    backend.kind === 'postgres'
      ? { kind: 'postgres', url: backend.url }
      : { kind: 'sqlite', file: join(dir, 'portal.sqlite') },
  );
}

export async function startBackends(): Promise<Backends> {
  const postgres = await startPostgres();
  if (!postgres) console.warn(POSTGRES_MISSING_MESSAGE);
  return {
    postgres,
    list: [
      { name: 'SQLite', kind: 'sqlite' },
      { name: 'PostgreSQL', kind: 'postgres', ...(postgres ? { url: postgres.url } : {}) },
    ],
  };
}
