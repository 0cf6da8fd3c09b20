/** The one time stamp reproducible builds use: SOURCE_DATE_EPOCH when set, else the last commit's time. */
import { execFileSync } from 'node:child_process';

export function sourceDateEpoch(root: string, env: NodeJS.ProcessEnv = process.env): number {
  const given = env.SOURCE_DATE_EPOCH;
  if (given !== undefined) {
    if (!/^\d+$/.test(given)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds, not ${given}`);
    return Number(given);
  }
  return Number(execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: root, encoding: 'utf8' }).trim());
}
