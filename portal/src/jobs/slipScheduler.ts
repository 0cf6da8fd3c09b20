/**
 * The slip mailing inside the portal: every `intervalMs` it looks at the Taipei date and, from the
 * 20th on, runs the month's dispatch (portal/src/jobs/slipDispatch.ts). It plans the month once (the
 * first tick that finds no run for it) and afterwards only works what is left: retries, units of a
 * runner that died. Off unless PORTAL_SLIP_SCHEDULER_MS is set; several portals may run it at once.
 */
import { SLIP_ISSUE_DAY } from '../../../shared/billing/slipSchedule.ts';
import { taipeiNow } from '../../../shared/tw/taipeiTime.ts';
import { runSlipDispatch, type SlipDispatchDeps } from './slipDispatch.ts';

export interface SlipScheduler {
  /** One look now (also what the timer does); resolves when that run ends, never rejects. */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startSlipScheduler(deps: SlipDispatchDeps, intervalMs: number): SlipScheduler {
  let running: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    running ??= (async () => {
      const today = taipeiNow(deps.clock());
      if (today.day < SLIP_ISSUE_DAY) return;
      const planned = await deps.db
        .selectFrom('slip_dispatch_runs')
        .select('issue_month')
        .where('issue_month', '=', today.month)
        .executeTakeFirst();
      await runSlipDispatch(deps, { date: `${today.month}-${SLIP_ISSUE_DAY}`, plan: planned === undefined });
    })()
      .catch((error: unknown) => deps.warn('slip dispatch failed', error))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
