/**
 * Slips and billing: slips rendered per CPU-second (one process is one core) against pdfkit's own
 * floor — an empty A4 page with the same embedded CJK font and one line of Chinese — measured in
 * the same run, alternating; the process's peak RSS; and billing a 5,000-person unit.
 *
 * In production slips are made in the portal's job process, so the whole bench (run.ts) measures
 * them in a process of their own too (`benchDocumentsInOwnProcess`): the same figures as alone, and
 * the peak RSS of a process that makes slips rather than of one that ran a dozen other benches.
 */
import { spawn } from 'node:child_process';
import { billUnitMonth, type DependantSpell, type InsuredSpell } from '../../shared/billing/premium.ts';
import { slipIssuedIn } from '../../shared/billing/slipSchedule.ts';
import { findCjkFont, newPdf } from '../../portal/src/documents/pdfDocument.ts';
import { renderSlipPdf, type SlipInput } from '../../portal/src/documents/slipPdf.ts';
import { median, peakRssMb, processCpuMs as cpuMs } from './stats.ts';

async function cpuTime(fn: () => Promise<unknown>, n: number): Promise<number> {
  const t0 = cpuMs();
  for (let i = 0; i < n; i++) await fn();
  return (cpuMs() - t0) / n;
}

function roster(size: number): { insured: InsuredSpell[]; dependants: DependantSpell[] } {
  const insured: InsuredSpell[] = [];
  const dependants: DependantSpell[] = [];
  for (let i = 0; i < size; i++) {
    const id = `A1${String(i).padStart(8, '0')}`;
    insured.push({
      idNumber: id,
      name: '王大明',
      from: '2025-01-01',
      amounts: [{ fromMonth: '2025-01', amount: 29_500 + (i % 50) * 1000 }],
    });
    for (let d = 0; d < i % 5; d++) {
      dependants.push({
        idNumber: `B2${String(i * 5 + d).padStart(8, '0')}`,
        name: '王小華',
        insuredIdNumber: id,
        from: '2025-01-01',
      });
    }
  }
  return { insured, dependants };
}

export type DocumentsBenchResult = Awaited<ReturnType<typeof benchDocuments>>;

/**
 * 9 rounds of 20 slips (and of 20 floors), as the slip figures measured alone were (portal/docs/
 * slips.md). With 5 rounds of 10 the median fell on the 30th slip of a fresh process, still paying
 * V8's compilation of pdfkit (its background compiler threads count in the process's CPU), which a
 * job process making thousands of slips pays once: that, not the other benches, was why the whole
 * bench measured 61 a second where the same code alone measured 93–122.
 */
export async function benchDocuments(rounds = 9, perRound = 20) {
  const font = findCjkFont();
  const { insured, dependants } = roster(30);
  const bill = billUnitMonth('2026-11', insured, dependants);
  if (bill.kind !== 'bill') throw new Error('expected a bill');
  const input: SlipInput = {
    unit: { name: '卡橋測試股份有限公司', unitCode: '012345678' },
    period: slipIssuedIn('monthly', '2026-12')!,
    bills: [bill.premium],
    issuedOn: '2026-12-20',
    payment: { bankCode: '004', virtualAccountPrefix: '9527', collectionCode: 'NH1' },
  };
  const floor = async () => {
    const { doc, done } = newPdf(font, 'floor', new Date(0));
    doc.text('全民健康保險');
    doc.end();
    return done;
  };
  const slip = () => renderSlipPdf(input, font);
  await floor();
  await slip();
  const floors: number[] = [];
  const slips: number[] = [];
  for (let r = 0; r < rounds; r++) {
    floors.push(await cpuTime(floor, perRound));
    slips.push(await cpuTime(slip, perRound));
  }
  const big = roster(5_000);
  const billing: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = cpuMs();
    billUnitMonth('2026-11', big.insured, big.dependants);
    billing.push(cpuMs() - t0);
  }
  return {
    slipMs: median(slips),
    floorMs: median(floors),
    slipsPerCpuSecond: 1000 / median(slips),
    floorPerCpuSecond: 1000 / median(floors),
    peakRssMb: peakRssMb(process.pid),
    bill5000Ms: median(billing),
  };
}

/** The line the child prints its result on (its other output, if any, is passed through). */
const RESULT_PREFIX = 'documents-bench-result ';

/** `benchDocuments` in a fresh Node process (same entry, same work), as the portal's job runs it. */
export function benchDocumentsInOwnProcess(): Promise<DocumentsBenchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename, '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) return reject(new Error(`documents bench child: exit ${code}\n${out}`));
      process.stdout.write(
        out
          .split('\n')
          .filter((l) => l && l !== line)
          .join('\n'),
      );
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as DocumentsBenchResult);
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await benchDocuments();
  console.log(process.argv.includes('--json') ? RESULT_PREFIX + JSON.stringify(result) : result);
}
