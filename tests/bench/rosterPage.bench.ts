/**
 * A page of a 50,000-person roster on SQLite (issue 10; goal p95 < 20 ms): the portal's own service
 * (count + one page + that page's dependants, as GET /api/filings/roster runs it) on a file database
 * with history (every tenth person has an earlier closed period at another amount, every fifth a
 * dependant). Pages are drawn across the whole roster, today and as of a past day. EXPLAIN QUERY PLAN
 * of the page and count queries is printed, to show the indexes at work.
 * Alone: `npx tsx tests/bench/rosterPage.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { openDatabase } from '../../portal/src/db/dialect.ts';
import { migrateToLatest } from '../../portal/src/db/migrate.ts';
import type { DependantPeriodTable, InsuredPeriodTable } from '../../portal/src/db/schema.ts';
import { seedIfEmpty } from '../../portal/src/db/seed.ts';
import { rosterPage } from '../../portal/src/services/queries/queries.ts';
import { countRosterQuery, rosterPageQuery } from '../../portal/src/services/queries/roster.ts';
import { insuredRow, personId, unitIdOf } from '../integration/portal/filingsSeed.ts';
import { nowMs } from './stats.ts';

const PERSONS = 50_000;
const CHUNK = 1_000;
const NOW = new Date('2026-12-02T04:00:00.000Z');

export interface RosterBenchResult {
  persons: number;
  pages: number;
  p50Ms: number;
  p95Ms: number;
  firstPageP95Ms: number;
  /** CPU time per page (user + system), mean: what the wall times are made of when the machine is busy. */
  cpuMsPerPage: number;
  plans: string[];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Deterministic page numbers spread over the roster (no randomness between runs). */
function spreadPages(count: number, lastPage: number): number[] {
  return Array.from({ length: count }, (_, i) => 1 + ((i * 7919) % lastPage));
}

export async function benchRosterPage(samples = 400): Promise<RosterBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-roster-bench-'));
  const file = path.join(dir, 'portal.sqlite');
  const database = openDatabase({ kind: 'sqlite', file });
  try {
    const db = database.db;
    await migrateToLatest(db);
    await seedIfEmpty(db, NOW);
    const unitId = await unitIdOf(db, '012345678');
    await db.transaction().execute(async (trx) => {
      let insured: InsuredPeriodTable[] = [];
      let dependants: DependantPeriodTable[] = [];
      const flush = async () => {
        if (insured.length) await trx.insertInto('insured_periods').values(insured).execute();
        if (dependants.length) await trx.insertInto('dependant_periods').values(dependants).execute();
        insured = [];
        dependants = [];
      };
      for (let n = 0; n < PERSONS; n++) {
        const idNumber = personId(n);
        const name = `測試員${n}`;
        if (n % 10 === 0) {
          insured.push(
            insuredRow(
              { unitId, idNumber, name, from: '2025-01-01', to: '2025-12-31', endReason: 'amount-change' },
              `p${n}a`,
            ),
          );
          insured.push(
            insuredRow({ unitId, idNumber, name, from: '2026-01-01', insuredAmount: 36_300 }, `p${n}b`),
          );
        } else {
          insured.push(insuredRow({ unitId, idNumber, name, from: '2025-06-01' }, `p${n}`));
        }
        if (n % 5 === 0) {
          dependants.push({
            id: `d${n}`,
            unit_id: unitId,
            insured_id_number: idNumber,
            id_number: personId(n, 'B'),
            name: `眷屬${n}`,
            birth_date: '2015-05-05',
            relationship: 'R02',
            from_date: '2025-06-01',
            to_date: null,
            end_reason: null,
            opened_by: 'bench',
            closed_by: null,
          });
        }
        if (insured.length >= CHUNK) await flush();
      }
      await flush();
    });
    const raw = new SqliteDatabase(file, { readonly: true });
    const explain = (compiled: { sql: string; parameters: readonly unknown[] }) =>
      (
        raw.prepare(`EXPLAIN QUERY PLAN ${compiled.sql}`).all(...compiled.parameters) as Array<{
          detail: string;
        }>
      )
        .map((r) => r.detail)
        .join(' | ');
    const filter = { unitId, asOf: '2026-12-02' };
    const plans = [
      `page:  ${explain(rosterPageQuery(db, filter, 20, 24_980).compile())}`,
      `count: ${explain(countRosterQuery(db, filter).compile())}`,
    ];
    raw.close();

    const ctx = { db, clock: () => NOW };
    const lastPage = Math.ceil(PERSONS / 20);
    const timed = async (query: { asOf?: string; page: string }) => {
      const t0 = nowMs();
      const reply = await rosterPage(ctx, unitId, query);
      const elapsed = nowMs() - t0;
      if (reply.total !== PERSONS || reply.persons.length === 0)
        throw new Error(`roster bench: ${reply.total} persons`);
      return elapsed;
    };
    // Warm the page cache, as a running portal has it.
    for (let i = 0; i < 20; i++) await timed({ page: '1' });
    const times: number[] = [];
    const cpu0 = process.cpuUsage();
    for (const [i, page] of spreadPages(samples, lastPage).entries()) {
      times.push(await timed({ page: String(page), ...(i % 2 ? { asOf: '2026-03-01' } : {}) }));
    }
    const cpu = process.cpuUsage(cpu0);
    const first: number[] = [];
    for (let i = 0; i < 100; i++) first.push(await timed({ page: '1' }));
    return {
      persons: PERSONS,
      pages: samples,
      p50Ms: percentile(times, 50),
      p95Ms: percentile(times, 95),
      firstPageP95Ms: percentile(first, 95),
      cpuMsPerPage: (cpu.user + cpu.system) / 1000 / samples,
      plans,
    };
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchRosterPage();
  console.log(JSON.stringify(result, null, 2));
}
