/**
 * A Firefox that reads its own enterprise policies file: the installed Firefox's folder mirrored
 * with symbolic links, the launcher binary copied (Firefox takes its application folder from the
 * binary's real path) and a distribution/policies.json of the test's. The machine's Firefox and
 * other tests running at the same time are not touched.
 */
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FIREFOX } from './firefox.ts';

export interface PolicyFirefox {
  executablePath: string;
  remove(): void;
}

export function firefoxWithPolicies(policies: unknown): PolicyFirefox {
  const real = realpathSync(FIREFOX);
  const appDir = path.dirname(real);
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-firefox-app-'));
  for (const entry of readdirSync(appDir)) {
    if (entry === 'distribution' || entry === path.basename(real)) continue;
    symlinkSync(path.join(appDir, entry), path.join(dir, entry));
  }
  const executablePath = path.join(dir, path.basename(real));
  copyFileSync(real, executablePath);
  mkdirSync(path.join(dir, 'distribution'));
  writeFileSync(path.join(dir, 'distribution', 'policies.json'), JSON.stringify(policies));
  return { executablePath, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
