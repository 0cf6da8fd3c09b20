/**
 * A zip of a folder that is the same bytes on every build: files in sorted order, every time stamp
 * set to SOURCE_DATE_EPOCH, no extra attributes (zip -X).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, utimesSync } from 'node:fs';
import path from 'node:path';

export function reproducibleZip(dir: string, zip: string, epoch: number): void {
  const files = (readdirSync(dir, { recursive: true }) as string[]).sort();
  for (const f of [...files, '.']) utimesSync(path.join(dir, f), epoch, epoch);
  rmSync(zip, { force: true });
  // TZ=UTC: zip stores local time; a fixed zone keeps the stored stamps equal everywhere.
  execFileSync('zip', ['-q', '-X', '-D', zip, '-@'], {
    cwd: dir,
    input: files.join('\n'),
    env: { ...process.env, TZ: 'UTC' },
  });
}
