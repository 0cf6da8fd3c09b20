/**
 * What the lab's processes leave behind, for the PIN-secrecy check of a test run
 * (tests/support/pinSecrecy.ts). That check's global setup names a list file in
 * CARDBRIDGE_ARTEFACTS_FILE; host log folders and portal output are added to it here, and its
 * teardown searches them all. Without that variable (the demo, a run without the check) nothing
 * is recorded.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The list file of this run's artefacts, or undefined when the check is off. */
export function artefactsListFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.CARDBRIDGE_ARTEFACTS_FILE || undefined;
}

/** Adds a file or folder to the run's artefacts (a no-op when the check is off). */
export function recordArtefact(file: string): void {
  const list = artefactsListFile();
  if (list) appendFileSync(list, `${file}\n`);
}

/** Keeps text a process printed (it lived only in memory) as an artefact of the run. */
export function keepArtefactText(name: string, text: string): void {
  const list = artefactsListFile();
  if (!list) return;
  const dir = mkdtempSync(path.join(path.dirname(list), `${name}-`));
  const file = path.join(dir, 'output.log');
  writeFileSync(file, text);
  recordArtefact(file);
}

/**
 * The environment that makes a browser's host log into a folder of the run's artefacts, unless the
 * test chose its log folder itself; empty when the check is off (the host then logs where it would
 * for the machine's user).
 */
export function hostLogEnv(env: Record<string, string> | undefined): Record<string, string> {
  if (env?.CARDBRIDGE_LOG_DIR) return {};
  const dir = artefactLogDir('cardbridge-e2e-hostlog');
  return dir ? { CARDBRIDGE_LOG_DIR: dir } : {};
}

/** A folder for a process's logs that the run's artefacts include, or undefined when the check is off. */
export function artefactLogDir(name: string): string | undefined {
  const list = artefactsListFile();
  if (!list) return undefined;
  const dir = mkdtempSync(path.join(path.dirname(list), `${name}-`));
  recordArtefact(dir);
  return dir;
}
