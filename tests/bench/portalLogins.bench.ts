/**
 * Portal logins through the API, with prepared tokens, including the database (a SQLite file, or the
 * lab's PostgreSQL): the portal runs as its own process (portal/src/main.ts) and this process sends `POST /api/sessions`
 * with unit-certificate proofs over keep-alive HTTP. Reported: logins per second of wall time, logins
 * per CPU-second of the portal process ("per core"; goal ≥ 1,000), the same client's rate on
 * `GET /api/health` in the same run as the baseline, and the portal's peak memory (VmHWM).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeTrustDir } from '../../lab/pki/pkiStore.ts';
import { signAuthToken } from '../../lab/pki/signToken.ts';
import { createTestPki } from '../../lab/pki/testPki.ts';
import { startPortalServer } from '../../lab/portalProcess.ts';
import { JsonClient } from '../support/jsonClient.ts';
import { cpuSeconds, peakRssMb } from './stats.ts';

export const CONCURRENCY = 16;

/** Runs `jobs` with CONCURRENCY in flight; returns the wall time in ms. */
export async function runAll(jobs: Array<() => Promise<void>>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
  return performance.now() - start;
}

export interface PortalBenchResult {
  loginsPerSecond: number;
  loginsPerCpuSecond: number;
  healthPerSecond: number;
  peakRssMb: number;
  logins: number;
}

/** `databaseUrl`: a postgres:// URL, or undefined for a SQLite file in a temporary folder. */
export async function benchPortalLogins(logins = 3_000, databaseUrl?: string): Promise<PortalBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-portal-bench-'));
  const pki = await createTestPki();
  writeTrustDir(pki, path.join(dir, 'trust'));
  const portal = await startPortalServer(
    {
      PORTAL_TRUST_DIR: path.join(dir, 'trust'),
      DATABASE_URL: databaseUrl ?? path.join(dir, 'portal.sqlite'),
      PORTAL_OUTBOX_DIR: path.join(dir, 'outbox'),
      PORTAL_RATE_LIMIT_MAX: '1000000',
      PORTAL_LOG_LEVEL: 'warn',
    },
    { nodeArgs: (process.env.BENCH_PORTAL_NODE_ARGS ?? '').split(' ').filter(Boolean) },
  );
  const { origin, pid } = portal;
  const client = new JsonClient(origin, CONCURRENCY);
  try {
    const company = pki.leaves.company;
    const nonce = async () =>
      ((await client.request('POST', '/api/nonces', {})).json as { nonce: string }).nonce;
    const proof = async (n: string) => ({
      kind: 'certificate',
      nonce: n,
      token: await signAuthToken(company, { origin, nonce: n }),
    });

    const registered = await client.request('POST', '/api/registrations', {
      proof: await proof(await nonce()),
    });
    if (registered.status !== 200 && registered.status !== 201)
      throw new Error(`registration failed: ${JSON.stringify(registered.json)}`);

    // Prepared outside the measurement: one nonce and one signed token per login.
    const proofs = [];
    for (let i = 0; i < logins; i++) proofs.push(await proof(await nonce()));

    // Warm-up, then the baseline with the same client and concurrency.
    await runAll(
      Array.from({ length: 500 }, () => async () => void (await client.request('GET', '/api/health'))),
    );
    const healthMs = await runAll(
      Array.from({ length: logins }, () => async () => void (await client.request('GET', '/api/health'))),
    );

    const cpuBefore = cpuSeconds(pid);
    let failures = 0;
    const loginMs = await runAll(
      proofs.map((p) => async () => {
        const response = await client.request('POST', '/api/sessions', { role: 'unit', proof: p });
        if (response.status !== 200 && response.status !== 201) failures++;
      }),
    );
    const cpu = cpuSeconds(pid) - cpuBefore;
    if (failures > 0) throw new Error(`${failures} of ${logins} logins failed`);
    return {
      loginsPerSecond: Math.round((logins * 1000) / loginMs),
      loginsPerCpuSecond: Math.round(logins / cpu),
      healthPerSecond: Math.round((logins * 1000) / healthMs),
      peakRssMb: Math.round(peakRssMb(pid)),
      logins,
    };
  } finally {
    client.close();
    await portal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: `npx tsx tests/bench/portalLogins.bench.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchPortalLogins());
}
