/**
 * The Windows host and installer, run under wine (Debian's wine64) in a private prefix: the silent
 * per-machine install, the HKLM keys and manifests read back, the installed host answering `version`
 * over native messaging, `doctor --json`, and the uninstall taking everything away again. Wine is
 * not Windows (installers/README.md says what this cannot prove). Skipped, saying why, only when
 * wine is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDefaultValue, parseHostManifest } from '../../../installers/registration/index.ts';
import {
  HOST_EXE,
  INSTALL_FOLDER,
  PUBLISHER,
  UNINSTALL_KEY,
  UNINSTALLER_EXE,
} from '../../../installers/windows/installerInfo.ts';
import { buildWindowsInstaller } from '../../../installers/windows/windowsInstaller.ts';
import { nodeBinary } from '../../../native-host/sea/toolchain.ts';
import { SEA_TARGETS } from '../../../native-host/sea/targets.ts';
import { EXTENSION_IDS, NATIVE_HOST_NAME } from '../../../shared/protocol/version.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;
/** Debian's wine64 puts its loader here (the `wine` package adds /usr/bin wrappers). */
const WINE = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'].find(existsSync);
const WINESERVER = ['/usr/lib/wine/wineserver64', '/usr/lib/wine/wineserver', '/usr/bin/wineserver'].find(
  existsSync,
);
const SLOW = 600_000;
const INSTALL_DIR = `C:\\Program Files\\${INSTALL_FOLDER}`;
const INSTALLED_HOST = `${INSTALL_DIR}\\${HOST_EXE}`;
const BROWSER_KEYS = {
  chrome: 'HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts',
  edge: 'HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts',
  firefox: 'HKLM\\Software\\Mozilla\\NativeMessagingHosts',
} as const;

let work: string;
let prefix: string;
let installer: string;

const winPath = (linuxPath: string) => `Z:${linuxPath.replace(/\//g, '\\')}`;
/** A C:\ path of the prefix as a Linux path. */
const driveC = (windowsPath: string) =>
  path.join(prefix, 'drive_c', ...windowsPath.replace(/^C:\\/, '').split('\\'));

/**
 * Runs a Windows program; its output goes to a file, because node.exe under wine cannot write to a
 * Linux pipe (EBADF), only to files and to Windows pipes.
 */
function wine(args: string[]): { status: number | null; output: string } {
  const outFile = path.join(work, 'wine-output.txt');
  const fd = openSync(outFile, 'w');
  try {
    const run = spawnSync(WINE!, args, {
      stdio: ['ignore', fd, fd],
      env: { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' },
      timeout: 240_000,
    });
    return { status: run.status, output: readFileSync(outFile, 'utf8') };
  } finally {
    closeSync(fd);
  }
}

/** Waits until every program in the prefix has ended (the NSIS uninstaller re-launches itself). */
const waitForPrefix = () =>
  execFileSync(WINESERVER!, ['-w'], { env: { ...process.env, WINEPREFIX: prefix }, timeout: 240_000 });

function regQuery(key: string, value?: string): string | undefined {
  const run = wine(['reg', 'query', key, ...(value ? ['/v', value] : ['/ve'])]);
  if (run.status !== 0) return undefined;
  if (!value) return parseDefaultValue(run.output);
  return new RegExp(`^\\s+${value}\\s+REG_\\w+\\s+(.*?)\\s*$`, 'm').exec(run.output)?.[1];
}

describe.skipIf(!WINE || !WINESERVER)(
  `the Windows installer under wine${WINE ? '' : ' (skipped: wine is not installed; apt install wine64)'}`,
  () => {
    beforeAll(() => {
      work = mkdtempSync(path.join(tmpdir(), 'cardbridge-wine-'));
      prefix = path.join(work, 'prefix');
      execFileSync('npm', ['run', 'build:host:windows'], { cwd: root, stdio: 'ignore' });
      installer = buildWindowsInstaller({
        host: path.join(root, 'dist/host', HOST_EXE),
        version,
        outDir: work,
        sourceDateEpoch: 1_767_225_600,
      });
      expect(wine(['wineboot', '-i']).status).toBe(0);
      waitForPrefix();
      // Node refuses to start on what wine calls Windows 7 by default.
      expect(wine(['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f']).status).toBe(
        0,
      );
    }, SLOW);
    afterAll(() => {
      if (prefix && WINESERVER)
        spawnSync(WINESERVER, ['-k'], { env: { ...process.env, WINEPREFIX: prefix } });
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it(
      'installs silently, per machine, registering the host for Chrome, Edge and Firefox in HKLM',
      () => {
        const run = wine([winPath(installer), '/S']);
        expect(run.status, run.output).toBe(0);
        waitForPrefix();
        expect(existsSync(driveC(INSTALLED_HOST))).toBe(true);
        for (const [browser, key] of Object.entries(BROWSER_KEYS)) {
          const manifestPath = regQuery(`${key}\\${NATIVE_HOST_NAME}`);
          expect(manifestPath, browser).toBe(
            `${INSTALL_DIR}\\NativeMessagingHosts\\${browser}\\${NATIVE_HOST_NAME}.json`,
          );
          const family = browser === 'firefox' ? 'firefox' : 'chromium';
          const manifest = parseHostManifest(family, readFileSync(driveC(manifestPath!), 'utf8'));
          expect(manifest, browser).toBeDefined();
          expect(manifest!.path).toBe(INSTALLED_HOST);
        }
        const uninstall = `HKLM\\${UNINSTALL_KEY}`;
        expect(regQuery(uninstall, 'DisplayVersion')).toBe(version);
        expect(regQuery(uninstall, 'Publisher')).toBe(PUBLISHER);
        expect(regQuery(uninstall, 'UninstallString')).toBe(`"${INSTALL_DIR}\\${UNINSTALLER_EXE}"`);
      },
      SLOW,
    );

    it(
      'the installed host answers version over native messaging, started by a Windows parent as a browser does',
      () => {
        const result = path.join(work, 'reply.json');
        const client = path.join(work, 'client.cjs');
        // A node.exe parent gives the host Windows pipes, as Chrome and Firefox do.
        writeFileSync(
          client,
          `const { spawn } = require('node:child_process');
const fs = require('node:fs');
const host = spawn(process.argv[2], ['chrome-extension://${EXTENSION_IDS.chromium}/'], { stdio: ['pipe', 'pipe', 'ignore'] });
const body = Buffer.from(JSON.stringify({ id: 'w', command: 'version' }));
const head = Buffer.alloc(4);
head.writeUInt32LE(body.length);
host.stdin.write(Buffer.concat([head, body]));
let got = Buffer.alloc(0);
host.stdout.on('data', (chunk) => {
  got = Buffer.concat([got, chunk]);
  if (got.length >= 4 && got.length >= 4 + got.readUInt32LE(0)) {
    fs.writeFileSync(process.argv[3], got.subarray(4, 4 + got.readUInt32LE(0)));
    host.stdin.end();
    host.kill();
    process.exit(0);
  }
});
host.on('exit', (code) => { fs.writeFileSync(process.argv[3], JSON.stringify({ exited: code })); process.exit(1); });
`,
        );
        const nodeExe = nodeBinary(root, SEA_TARGETS['win-x64']);
        const run = wine([winPath(nodeExe), winPath(client), INSTALLED_HOST, winPath(result)]);
        expect(run.status, run.output).toBe(0);
        expect(JSON.parse(readFileSync(result, 'utf8'))).toEqual({
          id: 'w',
          result: { version, protocol: 1 },
        });
      },
      SLOW,
    );

    it(
      'doctor --json runs and reports the version',
      () => {
        const run = wine([driveC(INSTALLED_HOST), 'doctor', '--json']);
        // Wine's winscard is a stub, so doctor reports the smart-card service as a problem.
        const report = JSON.parse(run.output) as { status: { version: string }; checks: unknown[] };
        expect(report.status.version).toBe(version);
        expect(report.checks.length).toBeGreaterThan(0);
      },
      SLOW,
    );

    it(
      'uninstalls silently, leaving no key, manifest, file or Add/Remove Programs entry',
      () => {
        // Only meaningful after the install above: otherwise "nothing left" would prove nothing.
        expect(regQuery(`${BROWSER_KEYS.chrome}\\${NATIVE_HOST_NAME}`)).toBeDefined();
        const run = wine([driveC(`${INSTALL_DIR}\\${UNINSTALLER_EXE}`), '/S']);
        expect(run.status, run.output).toBe(0);
        waitForPrefix();
        for (const key of Object.values(BROWSER_KEYS)) {
          expect(regQuery(`${key}\\${NATIVE_HOST_NAME}`), key).toBeUndefined();
        }
        expect(regQuery(`HKLM\\${UNINSTALL_KEY}`, 'DisplayVersion')).toBeUndefined();
        expect(existsSync(driveC(INSTALL_DIR))).toBe(false);
      },
      SLOW,
    );
  },
);
