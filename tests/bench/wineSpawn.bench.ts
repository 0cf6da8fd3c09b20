/**
 * spawn → `version` of the Windows host under wine, against the bare echo host on the same
 * node.exe the host binary is made from, both started by a node.exe parent (wineSpawnDriver.cjs).
 * Wine's process start-up is in both; the ratio, not the milliseconds, is the figure.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { WINE_MISSING, WinePrefix, winPath } from '../../lab/wine.ts';
import { SEA_TARGETS } from '../../native-host/sea/targets.ts';
import { nodeBinary } from '../../native-host/sea/toolchain.ts';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';
import { median } from './stats.ts';

const root = path.resolve(import.meta.dirname, '../..');
export const WINE_SPAWN_DRIVER = path.join(import.meta.dirname, 'wineSpawnDriver.cjs');

export interface WineSpawnResult {
  replies: unknown[];
  times: number[][];
}

/** Runs the driver in a prefix: each command `rounds` times, alternately. */
export function wineSpawnToVersion(wine: WinePrefix, commands: string[][], rounds: number): WineSpawnResult {
  const resultFile = path.join(wine.dir, 'spawn.json');
  const nodeExe = nodeBinary(root, SEA_TARGETS['win-x64']);
  const run = wine.run([
    winPath(nodeExe),
    winPath(WINE_SPAWN_DRIVER),
    winPath(resultFile),
    String(rounds),
    JSON.stringify(commands),
  ]);
  const result = existsSync(resultFile)
    ? (JSON.parse(readFileSync(resultFile, 'utf8')) as WineSpawnResult & { error?: string })
    : undefined;
  if (run.status !== 0 || !result || result.error) {
    throw new Error(`wine spawn driver: exit ${run.status} ${result?.error ?? ''}\n${run.output}`);
  }
  return result;
}

/** Medians in ms, or why the row is skipped. */
export function benchWineSpawn(rounds: number): { host: number; echo: number } | string {
  if (WINE_MISSING) return WINE_MISSING;
  const hostExe = path.join(root, 'dist/host', SEA_TARGETS['win-x64'].binary);
  if (!existsSync(hostExe)) return `${path.relative(root, hostExe)} missing: npm run build:host:windows`;
  const wine = WinePrefix.create();
  try {
    const nodeExe = nodeBinary(root, SEA_TARGETS['win-x64']);
    const { times } = wineSpawnToVersion(
      wine,
      [
        [winPath(hostExe), `chrome-extension://${EXTENSION_IDS.chromium}/`],
        [winPath(nodeExe), winPath(path.join(import.meta.dirname, 'echoHost.cjs'))],
      ],
      rounds,
    );
    return { host: median(times[0]!), echo: median(times[1]!) };
  } finally {
    wine.close();
  }
}
