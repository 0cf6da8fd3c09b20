/** Runs makensis on the generated script; the host's time stamp is set first (NSIS stores it). */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HOST_EXE, installerFileName } from './installerInfo.ts';
import { nsisScript } from './nsisScript.ts';

export interface WindowsInstallerInput {
  host: string;
  version: string;
  outDir: string;
  sourceDateEpoch: number;
}

export function buildWindowsInstaller(input: WindowsInstallerInput): string {
  const work = mkdtempSync(path.join(tmpdir(), 'cardbridge-nsis-'));
  try {
    mkdirSync(input.outDir, { recursive: true });
    // NSIS names the packed file after its source: stage it under the installed name.
    const host = path.join(work, HOST_EXE);
    copyFileSync(input.host, host);
    utimesSync(host, input.sourceDateEpoch, input.sourceDateEpoch);
    const outFile = path.join(input.outDir, installerFileName(input.version));
    const script = path.join(work, 'cardbridge.nsi');
    writeFileSync(script, nsisScript({ version: input.version, host, outFile }));
    const run = spawnSync('makensis', ['-V2', '-INPUTCHARSET', 'UTF8', script], { encoding: 'utf8' });
    if (run.error) throw new Error(`makensis: ${run.error.message} (apt install nsis)`);
    if (run.status !== 0)
      throw new Error(`makensis failed with exit ${run.status}\n${run.stdout}${run.stderr}`);
    return outFile;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
