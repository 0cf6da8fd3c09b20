/**
 * The Windows host and installer, run under wine (Debian's wine64) in a private prefix: the silent
 * per-machine install, the HKLM keys and manifests read back, the installed host answering `version`
 * over native messaging, `doctor --json`, and the uninstall taking everything away again. Wine is
 * not Windows (installers/README.md says what this cannot prove). Skipped, saying why, only when
 * wine is not installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHostManifest } from '../../../installers/registration/index.ts';
import {
  HOST_EXE,
  INSTALL_FOLDER,
  PUBLISHER,
  UNINSTALL_KEY,
  UNINSTALLER_EXE,
} from '../../../installers/windows/installerInfo.ts';
import { buildWindowsInstaller } from '../../../installers/windows/windowsInstaller.ts';
import { WINE_MISSING, WinePrefix, winPath } from '../../../lab/wine.ts';
import { EXTENSION_IDS, NATIVE_HOST_NAME } from '../../../shared/protocol/version.ts';
import { wineSpawnToVersion } from '../../bench/wineSpawn.bench.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string })
  .version;
const SLOW = 600_000;
const INSTALL_DIR = `C:\\Program Files\\${INSTALL_FOLDER}`;
const INSTALLED_HOST = `${INSTALL_DIR}\\${HOST_EXE}`;
const BROWSER_KEYS = {
  chrome: 'HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts',
  edge: 'HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts',
  firefox: 'HKLM\\Software\\Mozilla\\NativeMessagingHosts',
} as const;

let wine: WinePrefix;
let installer: string;

describe.skipIf(WINE_MISSING !== undefined)(
  `the Windows installer under wine${WINE_MISSING ? ` (skipped: ${WINE_MISSING})` : ''}`,
  () => {
    beforeAll(() => {
      wine = WinePrefix.create();
      execFileSync('npm', ['run', 'build:host:windows'], { cwd: root, stdio: 'ignore' });
      installer = buildWindowsInstaller({
        host: path.join(root, 'dist/host', HOST_EXE),
        version,
        outDir: wine.dir,
        sourceDateEpoch: 1_767_225_600,
      });
    }, SLOW);
    afterAll(() => wine?.close());

    it(
      'installs silently, per machine, registering the host for Chrome, Edge and Firefox in HKLM',
      () => {
        const run = wine.run([winPath(installer), '/S']);
        expect(run.status, run.output).toBe(0);
        wine.waitIdle();
        expect(existsSync(wine.driveC(INSTALLED_HOST))).toBe(true);
        for (const [browser, key] of Object.entries(BROWSER_KEYS)) {
          const manifestPath = wine.regQuery(`${key}\\${NATIVE_HOST_NAME}`);
          expect(manifestPath, browser).toBe(
            `${INSTALL_DIR}\\NativeMessagingHosts\\${browser}\\${NATIVE_HOST_NAME}.json`,
          );
          const family = browser === 'firefox' ? 'firefox' : 'chromium';
          const manifest = parseHostManifest(family, readFileSync(wine.driveC(manifestPath!), 'utf8'));
          expect(manifest, browser).toBeDefined();
          expect(manifest!.path).toBe(INSTALLED_HOST);
        }
        const uninstall = `HKLM\\${UNINSTALL_KEY}`;
        expect(wine.regQuery(uninstall, 'DisplayVersion')).toBe(version);
        expect(wine.regQuery(uninstall, 'Publisher')).toBe(PUBLISHER);
        expect(wine.regQuery(uninstall, 'UninstallString')).toBe(`"${INSTALL_DIR}\\${UNINSTALLER_EXE}"`);
      },
      SLOW,
    );

    it(
      'the installed host answers version over native messaging, started by a Windows parent as a browser does',
      () => {
        // A node.exe parent gives the host Windows pipes, as Chrome and Firefox do.
        const { replies } = wineSpawnToVersion(
          wine,
          [[INSTALLED_HOST, `chrome-extension://${EXTENSION_IDS.chromium}/`]],
          1,
        );
        expect(replies[0]).toEqual({ id: 'w', result: { version, protocol: 1 } });
      },
      SLOW,
    );

    it(
      'doctor --json runs and reports the version',
      () => {
        const run = wine.run([wine.driveC(INSTALLED_HOST), 'doctor', '--json']);
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
        expect(wine.regQuery(`${BROWSER_KEYS.chrome}\\${NATIVE_HOST_NAME}`)).toBeDefined();
        const run = wine.run([wine.driveC(`${INSTALL_DIR}\\${UNINSTALLER_EXE}`), '/S']);
        expect(run.status, run.output).toBe(0);
        wine.waitIdle();
        for (const key of Object.values(BROWSER_KEYS)) {
          expect(wine.regQuery(`${key}\\${NATIVE_HOST_NAME}`), key).toBeUndefined();
        }
        expect(wine.regQuery(`HKLM\\${UNINSTALL_KEY}`, 'DisplayVersion')).toBeUndefined();
        expect(existsSync(wine.driveC(INSTALL_DIR))).toBe(false);
      },
      SLOW,
    );
  },
);
