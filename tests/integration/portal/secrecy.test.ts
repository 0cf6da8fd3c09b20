/**
 * The NHI web password and card-holder data leave no trace (issue 15): a real portal process (debug
 * logging, SQLite file, real SMTP lab server) serves the flows that carry them — the card's first
 * password, a wrong one, registration and login with the virtual NHI card of the demo holder, a clerk
 * assigned by card, ID number and name — and then every log line, every mail, every audit row, every
 * stored row and the database file itself are searched. Passwords appear nowhere; full ID numbers,
 * card numbers and the holder's name appear only in the registry tables that stand for NHI's own
 * records (units, nhi_cards), and masked everywhere else.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../portal/src/config.ts';
import { openDatabase } from '../../../portal/src/db/dialect.ts';
import { DEMO_HOLDER } from '../../../portal/src/db/seed.ts';
import { startPortalServer } from '../../../lab/portalProcess.ts';
import { startSmtp, type SmtpLab } from '../../../lab/smtp.ts';
import { nhiProofFor, ORIGIN, SAM_MASTER_KEY_HEX } from './harness.ts';

const PASSWORD = 'Hx7#secret';
const WRONG_PASSWORD = 'Zq9#wrong';
const CLERK = { cardNumber: '000012345681', idNumber: 'E122334457', name: '張志明 TEST' } as const;
/** The tables that stand for NHI's records (seeded): they hold full IDs and names by design. */
const REGISTRY_TABLES = new Set(['units', 'nhi_cards']);

let smtp: SmtpLab;
let dir: string;

beforeAll(async () => {
  smtp = await startSmtp();
  dir = mkdtempSync(join(tmpdir(), 'cardbridge-portal-secrecy-'));
}, 60_000);
afterAll(async () => {
  await smtp?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('secrets and card-holder data in what the portal leaves behind', () => {
  it('never writes the web password, and writes IDs, card numbers and names only masked', async () => {
    const file = join(dir, 'portal.sqlite');
    const env = {
      DATABASE_URL: file,
      SMTP_URL: smtp.url,
      PORTAL_ORIGIN: ORIGIN,
      PORTAL_NHI_SAM_MASTER_KEY: SAM_MASTER_KEY_HEX,
      PORTAL_LOG_LEVEL: 'debug',
    };
    const portal = await startPortalServer(env, { startTimeoutMs: 120_000 });
    const proof = async (cardNumber: string, password: string) => {
      const { body } = await portal.api<{ nonce: string }>('POST', '/api/nonces');
      return nhiProofFor(body.nonce, cardNumber, { password });
    };
    const card = DEMO_HOLDER.cardNumber;
    try {
      const steps = [
        ['POST', '/api/nhi-cards/password', { proof: await proof(card, PASSWORD) }, 200],
        [
          'POST',
          '/api/registrations',
          { proof: await proof(card, WRONG_PASSWORD), unitCode: '012345678' },
          401,
        ],
        ['POST', '/api/registrations', { proof: await proof(card, PASSWORD), unitCode: '012345678' }, 200],
        [
          'POST',
          '/api/sessions',
          { role: 'unit', proof: await proof(card, WRONG_PASSWORD), unitCode: '012345678' },
          401,
        ],
      ] as const;
      for (const [method, route, body, status] of steps) {
        const answer = await portal.api(method, route, { body });
        expect(answer.status, `${route} ${JSON.stringify(answer.body)}`).toBe(status);
      }
      const login = await portal.api<{ sessionToken: string }>('POST', '/api/sessions', {
        body: { role: 'unit', proof: await proof(card, PASSWORD), unitCode: '012345678' },
      });
      expect(login.status).toBe(200);
      const token = login.body.sessionToken;
      const added = await portal.api('POST', '/api/units/current/clerks', {
        token,
        body: { kind: 'nhi-card', ...CLERK },
      });
      expect(added.status, JSON.stringify(added.body)).toBe(200);
      // A refused assignment carries the data too (audited with what is known).
      const mismatch = await portal.api('POST', '/api/units/current/clerks', {
        token,
        body: { kind: 'nhi-card', ...CLERK, idNumber: DEMO_HOLDER.idNumber },
      });
      expect(mismatch.status).toBe(400);
      // Mails go out after the commit: wait for both (registration, clerk).
      for (let i = 0; i < 200 && smtp.mails.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      expect(smtp.mails.length).toBeGreaterThanOrEqual(2);
    } finally {
      await portal.stop();
    }

    const logs = portal.output();
    expect(logs).toContain('"msg":"incoming request"'); // request logs were written, so the search sees them
    const mails = smtp.mails.map((m) => `${JSON.stringify(m.headers)}\n${m.body}`).join('\n');
    const database = openDatabase(loadConfig(env).database);
    const tables: Record<string, string> = {};
    try {
      const { rows } = await sql<{
        name: string;
      }>`select name from sqlite_master where type = 'table'`.execute(database.db);
      for (const { name } of rows) {
        const content = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(
          database.db,
        );
        tables[name] = JSON.stringify(content.rows);
      }
    } finally {
      await database.close();
    }
    expect(Object.keys(tables)).toEqual(
      expect.arrayContaining(['audit', 'clerks', 'sessions', 'mail_outbox']),
    );
    const rawFile = readFileSync(file).toString('latin1') + readFileSync(file).toString('utf8');

    // The password (and the wrong one): nowhere at all, not even in the registry or the file's bytes.
    const everywhere = { logs, mails, ...tables, 'database file': rawFile };
    for (const [where, text] of Object.entries(everywhere)) {
      for (const secret of [PASSWORD, WRONG_PASSWORD])
        expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
    }

    // Holder data: only in the registry tables (NHI's records); elsewhere masked.
    const outsideRegistry = Object.fromEntries(
      Object.entries({ logs, mails, ...tables }).filter(([name]) => !REGISTRY_TABLES.has(name)),
    );
    const fullIds = [DEMO_HOLDER.idNumber, CLERK.idNumber];
    for (const [where, text] of Object.entries(outsideRegistry)) {
      for (const id of fullIds) expect(text.includes(id), `${id} in ${where}`).toBe(false);
    }
    // Card numbers and the holder's name stay out of logs, mails and the audit (the clerks table keeps
    // the card number as the credential it checks, and the clerk's name the unit gave).
    for (const [where, text] of Object.entries({ logs, mails, audit: tables.audit! })) {
      for (const secret of [DEMO_HOLDER.cardNumber, CLERK.cardNumber, DEMO_HOLDER.name]) {
        expect(text.includes(secret), `${secret} in ${where}`).toBe(false);
      }
    }
    // What is shown instead: the masked forms.
    expect(tables.audit).toContain('0000****5678');
    expect(tables.clerks).toContain('"id_last4":"4457"');
  }, 240_000);
});
