/**
 * `npm run soak [portal|host]`: the bounded soak runs of issue 15, on loopback only. Sizes:
 * SOAK_PEAK_LOGINS, SOAK_SECONDS (portal), SOAK_HOST_OPERATIONS (host). Exit 1 when a correctness
 * goal fails (a 5xx, a request without an answer, memory or workers that grow).
 */
import { hostSoak } from './hostSoak.ts';
import { portalSoak } from './portalSoak.ts';
import { report, type SoakCheck } from './soakReport.ts';

const only = process.argv[2];
const checks: SoakCheck[] = [];
if (only !== 'host') checks.push(...(await portalSoak()));
if (only !== 'portal') checks.push(...(await hostSoak()));
process.exitCode = report(checks);
