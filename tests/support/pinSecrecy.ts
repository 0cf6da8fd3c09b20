/**
 * Vitest global setup: after the run, the PINs the tests typed must appear in nothing the run left
 * behind (issue 15). Opt-in with CARDBRIDGE_PIN_SECRECY=1, because the check reads only what it is
 * told about and has not yet been proven over the whole suite:
 *   - the host log folders of the integration suites and of the browsers' hosts in e2e, and the
 *     portal processes' output, which the lab records in the list file CARDBRIDGE_ARTEFACTS_FILE
 *     (lab/artefacts.ts) that this setup creates;
 *   - CARDBRIDGE_ARTEFACTS: more files or folders, separated by the path delimiter (":").
 * A PIN found fails the run, naming the file, the line and which PIN (never its value).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { filesUnder, scanForSecrets } from './secretScan.ts';
import { TEST_PINS } from './testPins.ts';

export default function setup(): (() => void) | undefined {
  if (process.env.CARDBRIDGE_PIN_SECRECY !== '1') return undefined;
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-artefacts-'));
  const list = path.join(dir, 'artefacts.txt');
  // Set before the test workers start, so they inherit it.
  process.env.CARDBRIDGE_ARTEFACTS_FILE = list;
  return () => {
    const recorded = readFileSync(list, { encoding: 'utf8', flag: 'a+' }).split('\n');
    const extra = (process.env.CARDBRIDGE_ARTEFACTS ?? '').split(path.delimiter);
    const files = filesUnder([...recorded, ...extra].filter((p) => p.length > 0));
    const findings = scanForSecrets(files, TEST_PINS);
    if (findings.length === 0) {
      rmSync(dir, { recursive: true, force: true });
      process.stderr.write(`[pin-secrecy] no test PIN in ${files.length} artefact files\n`);
      return;
    }
    // The artefacts stay for whoever reads the failure.
    const where = findings.map((f) => `  ${f.file}:${f.line}: ${f.label}`).join('\n');
    process.stderr.write(
      `[pin-secrecy] FAILED: a test PIN was written to what the run left behind:\n${where}\n`,
    );
    // Vitest reports an error thrown here but still exits 0: the exit code is set instead.
    process.exitCode = 1;
  };
}
