/**
 * Audit and mail survive a crash (issue 15, defect 1): the portal process (portal/src/main.ts) is
 * killed with SIGKILL while 16 clerk assignments run in parallel, then started again on the same
 * database. Every clerk that was committed has its `clerk-add` audit row and exactly one mail (one
 * Message-ID) at the real SMTP server; nothing else was committed. SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkNationalId } from '../../../shared/tw/nationalId.ts';
import { loadConfig } from '../../../portal/src/config.ts';
import { openDatabase } from '../../../portal/src/db/dialect.ts';
import { nhiSubject } from '../../../portal/src/services/mask.ts';
import { freePort } from '../../../lab/freePort.ts';
import { writeTrustDir } from '../../../lab/pki/pkiStore.ts';
import { signAuthToken } from '../../../lab/pki/signToken.ts';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';
import { startPortalServer, type PortalServer } from '../../../lab/portalProcess.ts';
import { startSmtp, type ReceivedMail, type SmtpLab } from '../../../lab/smtp.ts';
import { SAM_MASTER_KEY_HEX, startBackends } from './harness.ts';
import { describeEachBackend } from './eachBackend.ts';

const backends = await startBackends();
let pki: TestPki;
let smtp: SmtpLab;
let dir: string;

beforeAll(async () => {
  pki = await createTestPki();
  smtp = await startSmtp();
  dir = mkdtempSync(join(tmpdir(), 'cardbridge-portal-crash-'));
  writeTrustDir(pki, join(dir, 'trust'));
}, 120_000);
afterAll(async () => {
  await smtp?.stop();
  await backends.postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A valid national ID for a test holder: the check digit that makes `prefix` + digit valid. */
function nationalId(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (checkNationalId(`${prefix}${d}`).valid) return `${prefix}${d}`;
  throw new Error(`no check digit for ${prefix}`);
}

/** The text of a mail's body, whatever transfer encoding nodemailer chose. */
function bodyText(mail: ReceivedMail): string {
  const encoding = (mail.headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(mail.body, 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = mail.body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => `%${hex}`)
      .replace(/[^%]/g, (c) => encodeURIComponent(c));
    return decodeURIComponent(bytes);
  }
  return mail.body;
}

const CLERKS = Array.from({ length: 16 }, (_, i) => {
  const n = String(i + 10);
  return {
    cardNumber: `0000998877${n}`,
    idNumber: nationalId(`F123004${n}`),
    name: `Crash Clerk ${String.fromCharCode(65 + i)} TEST`,
  };
});

describeEachBackend(backends, 'portal killed mid-change on $name', (backend) => {
  it('keeps every committed clerk with its audit row and exactly one mail', async () => {
    const port = await freePort();
    const env = {
      DATABASE_URL: backend.kind === 'postgres' ? backend.url : join(dir, `${backend.kind}.sqlite`),
      SMTP_URL: smtp.url,
      PORTAL_TRUST_DIR: join(dir, 'trust'),
      PORTAL_NHI_SAM_MASTER_KEY: SAM_MASTER_KEY_HEX,
      PORTAL_MAX_CLERKS: '100',
      PORTAL_RATE_LIMIT_MAX: '100000',
      // Longer than any send takes here, short enough for the restarted portal to pick up the rest.
      PORTAL_MAIL_RETRY_MS: '10000',
      PORTAL_LOG_LEVEL: 'warn',
    };
    let portal: PortalServer = await startPortalServer(env, { port, startTimeoutMs: 90_000 });
    const database = openDatabase(loadConfig({ ...env, PORTAL_ORIGIN: portal.origin }).database);
    try {
      await database.db
        .insertInto('nhi_cards')
        .values(
          CLERKS.map((c) => ({
            card_number: c.cardNumber,
            holder_id: c.idNumber,
            holder_name: c.name,
            password_hash: null,
            password_set_at: null,
            password_locked_until: null,
          })),
        )
        .execute();
      const certificateProof = async () => {
        const { body } = await portal.api<{ nonce: string }>('POST', '/api/nonces');
        const token = await signAuthToken(pki.leaves.company, { origin: portal.origin, nonce: body.nonce });
        return { kind: 'certificate', nonce: body.nonce, token };
      };
      const registered = await portal.api('POST', '/api/registrations', {
        body: { proof: await certificateProof() },
      });
      expect(registered.status, JSON.stringify(registered.body)).toBe(200);
      const login = await portal.api<{ sessionToken: string }>('POST', '/api/sessions', {
        body: { role: 'unit', proof: await certificateProof() },
      });
      expect(login.status).toBe(200);
      const token = login.body.sessionToken;
      const mailsBefore = smtp.mails.length;

      // 16 assignments at once; SIGKILL as soon as the first one is answered.
      const assignments = CLERKS.map((clerk) =>
        portal.api('POST', '/api/units/current/clerks', { token, body: { kind: 'nhi-card', ...clerk } }).then(
          (r) => r.status,
          () => 'lost' as const,
        ),
      );
      await Promise.race(assignments);
      process.kill(portal.pid, 'SIGKILL');
      const outcomes = await Promise.all(assignments);
      await portal.stop();

      portal = await startPortalServer(env, { port, startTimeoutMs: 90_000 });
      // The restarted portal sends what the killed one had queued but not sent.
      for (;;) {
        const unsent = await database.db
          .selectFrom('mail_outbox')
          .select('id')
          .where('sent_at', 'is', null)
          .execute();
        if (unsent.length === 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }

      const clerks = await database.db.selectFrom('clerks').selectAll().execute();
      // Whatever was answered 200 was committed.
      expect(clerks.length).toBeGreaterThanOrEqual(outcomes.filter((o) => o === 200).length);
      const audits = await database.db
        .selectFrom('audit')
        .selectAll()
        .where('event', '=', 'clerk-add')
        .where('outcome', '=', 'success')
        .execute();
      expect(audits.map((a) => a.detail).sort()).toEqual(
        clerks.map((c) => `clerk ${nhiSubject(c.credential_key)}`).sort(),
      );
      const mails = smtp.mails
        .slice(mailsBefore)
        .filter((m) => m.headers['x-cardbridge-event'] === 'clerk-added')
        .map((m) => ({ id: m.headers['message-id'], text: bodyText(m) }));
      // One mail per committed clerk, none for the others. SMTP cannot be exactly-once: a kill between
      // the server's acceptance and the row being marked sent repeats that mail once more, with the
      // same Message-ID (the outbox row), so the repeat is recognisable as the same mail.
      expect(new Set(mails.map((m) => m.id)).size).toBe(clerks.length);
      for (const clerk of clerks) {
        const own = mails.filter((m) => m.text.includes(clerk.display_name));
        expect(own.length, clerk.display_name).toBeGreaterThanOrEqual(1);
        expect(new Set(own.map((m) => m.id)).size, clerk.display_name).toBe(1);
      }
    } finally {
      await portal.stop();
      await database.close();
    }
  }, 180_000);
});
