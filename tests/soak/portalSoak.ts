/**
 * Portal soak (issue 15): the portal as its own process on a SQLite file, loaded on loopback with
 * autocannon. First its peak rate of unit logins (each with its own nonce and signed token), then a
 * sustained run at half that rate while a second client adds and withdraws a clerk in a loop.
 * Reported: p50/p99 latency, logins per CPU-second of the portal, RSS sampled every second.
 * Fails (exit 1) on any 5xx, transport error or refused login; the latency and memory goals are
 * reported with ✔/✘ as the bench does. Bounded: a fixed number of requests, loopback only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { writeTrustDir } from '../../lab/pki/pkiStore.ts';
import { signAuthToken } from '../../lab/pki/signToken.ts';
import { createTestPki, type IssuedCertificate } from '../../lab/pki/testPki.ts';
import { startPortalServer } from '../../lab/portalProcess.ts';
import { cpuSeconds } from '../bench/stats.ts';
import { JsonClient } from '../support/jsonClient.ts';
import { MEMORY_BOUNDS, memoryChecks, type RssSample, type SoakCheck } from './soakReport.ts';

const CONNECTIONS = 16;
const PEAK_LOGINS = Number(process.env.SOAK_PEAK_LOGINS ?? 3_000);
const SUSTAINED_SECONDS = Number(process.env.SOAK_SECONDS ?? 40);
/** Login bodies are signed over nonces before they are sent, and a nonce lives 5 minutes: a long run
 * is cut into segments with their bodies prepared just before each (a 300 s run refused 774 logins). */
const SEGMENT_SECONDS = 60;

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

/** One login body per request: a fresh nonce from the portal and a token signed over it. */
async function loginBodies(client: JsonClient, leaf: IssuedCertificate, origin: string, count: number) {
  const bodies: string[] = [];
  for (let i = 0; i < count; i++) {
    const { nonce } = (await client.post('/api/nonces', {})).json as { nonce: string };
    const token = await signAuthToken(leaf, { origin, nonce });
    bodies.push(JSON.stringify({ role: 'unit', proof: { kind: 'certificate', nonce, token } }));
  }
  return bodies;
}

function loginLoad(origin: string, bodies: string[], overallRate?: number) {
  let next = 0;
  return autocannon({
    url: origin,
    connections: CONNECTIONS,
    amount: bodies.length,
    ...(overallRate ? { overallRate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/api/sessions',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }),
      },
    ],
  });
}

/** The segments of the sustained run as one: counts added; p50 the median and p99 the worst of theirs. */
function combined(segments: autocannon.Result[]) {
  const sum = (pick: (r: autocannon.Result) => number) => segments.reduce((t, r) => t + pick(r), 0);
  const p50s = segments.map((r) => r.latency.p50).sort((a, b) => a - b);
  return {
    requests: { total: sum((r) => r.requests.total) },
    latency: {
      p50: p50s[Math.floor(p50s.length / 2)] ?? 0,
      p99: Math.max(0, ...segments.map((r) => r.latency.p99)),
    },
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    serverErrors: sum(serverErrors),
  };
}

function serverErrors(result: autocannon.Result): number {
  return Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => Number(code) >= 500)
    .reduce((sum, [, stat]) => sum + (stat.count ?? 0), 0);
}

export async function portalSoak(): Promise<SoakCheck[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-portal-soak-'));
  const pki = await createTestPki();
  writeTrustDir(pki, path.join(dir, 'trust'));
  const portal = await startPortalServer({
    PORTAL_TRUST_DIR: path.join(dir, 'trust'),
    DATABASE_URL: path.join(dir, 'portal.sqlite'),
    PORTAL_OUTBOX_DIR: path.join(dir, 'outbox'),
    PORTAL_RATE_LIMIT_MAX: '1000000',
    PORTAL_LOG_LEVEL: 'warn',
  });
  const { origin, pid } = portal;
  const client = new JsonClient(origin);
  const checks: SoakCheck[] = [];
  try {
    const company = pki.leaves.company;
    const [registration] = await loginBodies(client, company, origin, 1);
    const { proof } = JSON.parse(registration!) as { proof: unknown };
    const registered = await client.post('/api/registrations', { proof });
    if (registered.status !== 200) throw new Error(`registration failed: ${JSON.stringify(registered.json)}`);

    // 1. Peak: as fast as 16 connections go.
    const peakBodies = await loginBodies(client, company, origin, PEAK_LOGINS);
    const peak = await loginLoad(origin, peakBodies);
    const peakRate = peak.requests.total / (peak.duration || 1);
    process.stdout.write(`peak: ${peakRate.toFixed(0)} logins/s over ${peak.requests.total} logins\n`);

    // 2. Sustained at half the peak, with clerk changes beside it.
    const rate = Math.max(10, Math.floor(peakRate / 2));
    const [unitLogin] = await loginBodies(client, company, origin, 1);
    const session = (await client.post('/api/sessions', JSON.parse(unitLogin!))).json as {
      sessionToken: string;
    };
    const clerkCertificate = pki.leaves.citizenSign.certificate.toString('base64');
    const rss: RssSample[] = [];
    const sampledFrom = performance.now();
    const sampler = setInterval(
      () => rss.push({ seconds: (performance.now() - sampledFrom) / 1000, mb: rssMb(pid) }),
      1000,
    );
    let clerkChanges = 0;
    let clerkFailures = 0;
    const clerkLatencies: number[] = [];
    let loadDone = false;
    const clerkLoop = (async () => {
      const auth = { authorization: `Bearer ${session.sessionToken}` };
      while (!loadDone) {
        const t0 = performance.now();
        const added = await client.post(
          '/api/units/current/clerks',
          { kind: 'certificate', certificate: clerkCertificate },
          auth,
        );
        const clerkId = (added.json as { clerk?: { id: string } }).clerk?.id;
        const revoked = clerkId
          ? await client.delete(`/api/units/current/clerks/${clerkId}`, auth)
          : { status: 0 };
        clerkLatencies.push((performance.now() - t0) / 2);
        if (added.status !== 200 || revoked.status !== 200) clerkFailures++;
        clerkChanges += 2;
      }
    })();
    const segments: autocannon.Result[] = [];
    let cpu = 0;
    for (let left = SUSTAINED_SECONDS; left > 0; left -= SEGMENT_SECONDS) {
      const bodies = await loginBodies(client, company, origin, rate * Math.min(SEGMENT_SECONDS, left));
      const cpuBefore = cpuSeconds(pid);
      segments.push(await loginLoad(origin, bodies, rate));
      cpu += cpuSeconds(pid) - cpuBefore;
    }
    const sustained = combined(segments);
    loadDone = true;
    await clerkLoop;
    clearInterval(sampler);

    clerkLatencies.sort((a, b) => a - b);
    const p99Clerk = clerkLatencies[Math.floor(clerkLatencies.length * 0.99)] ?? 0;
    const errors5xx = serverErrors(peak) + sustained.serverErrors;
    const refused = peak.non2xx + sustained.non2xx;
    process.stdout.write(`RSS every second (MB): ${rss.map((v) => v.mb.toFixed(0)).join(' ')}\n`);
    checks.push(
      { name: 'portal: peak logins per second (16 connections)', value: peakRate, unit: '/s' },
      { name: 'portal: sustained rate (half of peak)', value: rate, unit: '/s' },
      { name: 'portal: sustained logins', value: sustained.requests.total, unit: '' },
      { name: 'portal: login latency p50', value: sustained.latency.p50, unit: 'ms' },
      {
        name: 'portal: login latency p99',
        value: sustained.latency.p99,
        unit: 'ms',
        goal: '< 100',
        ok: sustained.latency.p99 < 100,
      },
      { name: 'portal: logins per CPU-second', value: sustained.requests.total / cpu, unit: '/CPU-s' },
      { name: 'portal: clerk changes beside the logins', value: clerkChanges, unit: '' },
      {
        name: 'portal: clerk change latency p99',
        value: p99Clerk,
        unit: 'ms',
        goal: '< 100',
        ok: p99Clerk < 100,
      },
      ...memoryChecks('portal', rss, MEMORY_BOUNDS.portal),
      {
        name: 'portal: 5xx answers',
        value: errors5xx,
        unit: '',
        goal: '= 0',
        ok: errors5xx === 0,
        must: true,
      },
      {
        name: 'portal: refused logins',
        value: refused,
        unit: '',
        goal: '= 0',
        ok: refused === 0,
        must: true,
      },
      {
        name: 'portal: transport errors',
        value: peak.errors + sustained.errors + peak.timeouts + sustained.timeouts,
        unit: '',
        goal: '= 0',
        ok: peak.errors + sustained.errors + peak.timeouts + sustained.timeouts === 0,
        must: true,
      },
      {
        name: 'portal: failed clerk changes',
        value: clerkFailures,
        unit: '',
        goal: '= 0',
        ok: clerkFailures === 0,
        must: true,
      },
    );
    return checks;
  } finally {
    client.close();
    await portal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
