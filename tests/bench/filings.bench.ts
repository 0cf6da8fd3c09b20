/**
 * Single filings submitted, verified and stored through the portal API (issue 10): the portal runs as
 * its own process (SQLite file), a certificate clerk's prepared submissions (one 加保 each, a detached
 * CMS by the citizen certificate) are sent with POST /api/filings/submissions over keep-alive HTTP.
 * Reported beside the logins: filings per CPU-second of the portal process (goal ≥ 500) and per second
 * of wall time. Processing is off (PORTAL_FILING_PROCESS_MS=0): this measures receipt only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signDetachedCms } from '../../lab/pki/signCms.ts';
import { writeTrustDir } from '../../lab/pki/pkiStore.ts';
import { signAuthToken } from '../../lab/pki/signToken.ts';
import { createTestPki, type IssuedCertificate } from '../../lab/pki/testPki.ts';
import { startPortalServer } from '../../lab/portalProcess.ts';
import { canonicalBytes } from '../../shared/filings/canonical.ts';
import type { Submission } from '../../shared/filings/contracts.ts';
import { taipeiDate } from '../../shared/tw/taipeiTime.ts';
import { JsonClient } from '../support/jsonClient.ts';
import { CONCURRENCY, runAll } from './portalLogins.bench.ts';
import { cpuSeconds } from './stats.ts';

export interface FilingBenchResult {
  filingsPerSecond: number;
  filingsPerCpuSecond: number;
  filings: number;
}

export async function benchFilings(
  filings = Number(process.env.BENCH_FILINGS ?? 1_000),
): Promise<FilingBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-filing-bench-'));
  const pki = await createTestPki();
  writeTrustDir(pki, path.join(dir, 'trust'));
  const portal = await startPortalServer(
    {
      PORTAL_TRUST_DIR: path.join(dir, 'trust'),
      DATABASE_URL: path.join(dir, 'portal.sqlite'),
      PORTAL_OUTBOX_DIR: path.join(dir, 'outbox'),
      PORTAL_RATE_LIMIT_MAX: '1000000',
      PORTAL_FILING_PROCESS_MS: '0',
      PORTAL_LOG_LEVEL: 'warn',
    },
    { nodeArgs: (process.env.BENCH_PORTAL_NODE_ARGS ?? '').split(' ').filter(Boolean) },
  );
  const { origin, pid } = portal;
  const client = new JsonClient(origin, CONCURRENCY);
  const bearer = (token?: string): Record<string, string> =>
    token ? { authorization: `Bearer ${token}` } : {};
  const ok = async (method: string, url: string, body: unknown, token?: string) => {
    const response = await client.request(method, url, body, bearer(token));
    if (response.status !== 200) throw new Error(`${method} ${url}: ${JSON.stringify(response.json)}`);
    return response.json as Record<string, unknown>;
  };
  const proof = async (leaf: IssuedCertificate) => {
    const nonce = ((await ok('POST', '/api/nonces', {})) as { nonce: string }).nonce;
    return { kind: 'certificate', nonce, token: await signAuthToken(leaf, { origin, nonce }) };
  };
  try {
    await ok('POST', '/api/registrations', { proof: await proof(pki.leaves.company) });
    const unit = (await ok('POST', '/api/sessions', {
      role: 'unit',
      proof: await proof(pki.leaves.company),
    })) as {
      sessionToken: string;
    };
    const certificate = pki.leaves.citizenSign.certificate.toString('base64');
    await ok('POST', '/api/units/current/clerks', { kind: 'certificate', certificate }, unit.sessionToken);
    const clerk = (await ok('POST', '/api/sessions', {
      role: 'clerk',
      proof: await proof(pki.leaves.citizenSign),
    })) as { sessionToken: string };

    // Prepared outside the measurement: each submission distinct (its time), signed by the clerk.
    const start = Date.now();
    const bodies = Array.from({ length: filings }, (_, i) => {
      const submission: Submission = {
        format: 'cardbridge-filing-submission',
        version: 1,
        unitCode: '012345678',
        submittedAt: new Date(start + i).toISOString(),
        filings: [
          {
            kind: 'enrol',
            scheme: 'nhi',
            idNumber: 'A123456789',
            name: '王小明',
            birthDate: '1990-05-17',
            enrolmentDate: taipeiDate(new Date()),
            insuredAmount: 29500,
          },
        ],
      };
      const cms = signDetachedCms(pki.leaves.citizenSign, canonicalBytes(submission)).toString('base64');
      return { submission, signature: { format: 'cms', cms } };
    });

    const cpuBefore = cpuSeconds(pid);
    let failures = 0;
    const ms = await runAll(
      bodies.map((body) => async () => {
        const response = await client.request(
          'POST',
          '/api/filings/submissions',
          body,
          bearer(clerk.sessionToken),
        );
        if (response.status !== 200) failures++;
      }),
    );
    const cpu = cpuSeconds(pid) - cpuBefore;
    if (failures > 0) throw new Error(`${failures} of ${filings} submissions failed`);
    return {
      filingsPerSecond: Math.round((filings * 1000) / ms),
      filingsPerCpuSecond: Math.round(filings / cpu),
      filings,
    };
  } finally {
    client.close();
    await portal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: `npx tsx tests/bench/filings.bench.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchFilings());
}
