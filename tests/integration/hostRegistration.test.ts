/**
 * `cardbridge-host install | status | uninstall` through the built binary, as IT would run it:
 * per user into a throw-away HOME, and machine-wide as root into a throw-away root prefix. The
 * manifests must name this binary and our extension, and uninstall must leave nothing behind.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXTENSION_IDS, NATIVE_HOST_NAME } from '../../shared/protocol/version.ts';
import { HOST_BIN } from './helpers/hostProcess.ts';

const temps: string[] = [];
const tempDir = (name: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), `cardbridge-${name}-`));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function host(home: string, ...args: string[]) {
  const run = spawnSync(HOST_BIN, args, {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      LANG: 'en_US.UTF-8',
      CARDBRIDGE_LOG_DIR: path.join(home, 'log'),
    },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

interface StatusJson {
  ok: boolean;
  hostPath: string;
  browsers: Array<{ browser: string; outcome: string; manifestPath: string; hostPath?: string }>;
}

const manifestFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name === `${NATIVE_HOST_NAME}.json`)
    .map((e) => path.join(e.parentPath, e.name));

describe('cardbridge-host install / status / uninstall', () => {
  it('registers this binary for every browser of a user, reports it, and removes it without a trace', () => {
    const home = tempDir('reg-home');
    const installed = host(home, 'install');
    expect(installed.status, installed.stderr).toBe(0);
    expect(installed.stdout).toContain('Every browser is registered.');

    const status = host(home, 'status', '--json');
    expect(status.status).toBe(0);
    const report = JSON.parse(status.stdout) as StatusJson;
    expect(report.hostPath).toBe(HOST_BIN);
    expect(report.browsers.map((b) => [b.browser, b.outcome])).toEqual([
      ['chrome', 'registered'],
      ['edge', 'registered'],
      ['chromium', 'registered'],
      ['firefox', 'registered'],
      ['brave', 'registered'],
    ]);

    const files = manifestFiles(home);
    expect(files.map((f) => path.relative(home, f)).sort()).toEqual(
      [
        '.config/BraveSoftware/Brave-Browser/NativeMessagingHosts',
        '.config/chromium/NativeMessagingHosts',
        '.config/google-chrome/NativeMessagingHosts',
        '.config/microsoft-edge/NativeMessagingHosts',
        '.mozilla/native-messaging-hosts',
      ].map((d) => `${d}/${NATIVE_HOST_NAME}.json`),
    );
    for (const file of files) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      expect(manifest).toMatchObject({ name: NATIVE_HOST_NAME, path: HOST_BIN, type: 'stdio' });
      expect(manifest).toEqual(
        expect.objectContaining(
          file.includes('.mozilla')
            ? { allowed_extensions: [EXTENSION_IDS.firefox] }
            : { allowed_origins: [`chrome-extension://${EXTENSION_IDS.chromium}/`] },
        ),
      );
    }

    // doctor names each browser found and where its registration is.
    const doctor = host(home, 'doctor', '--json');
    const checks = (
      JSON.parse(doctor.stdout) as {
        checks: Array<{ id: string; browser?: string; severity: string; detail?: string }>;
      }
    ).checks.filter((c) => c.id === 'browser-registration');
    expect(checks.map((c) => [c.browser, c.severity])).toEqual(
      ['chrome', 'edge', 'chromium', 'firefox', 'brave'].map((b) => [b, 'ok']),
    );
    expect(checks.find((c) => c.browser === 'firefox')?.detail).toBe(
      path.join(home, '.mozilla/native-messaging-hosts', `${NATIVE_HOST_NAME}.json`),
    );

    // A second install changes nothing.
    expect(host(home, 'install', '--json').stdout).not.toContain('"written"');

    const removed = host(home, 'uninstall', '--lang', 'zh-TW');
    expect(removed.status).toBe(0);
    expect(removed.stdout).toContain('已移除登錄');
    // The summary says what happened, not that every browser is registered.
    expect(removed.stdout).toContain('已從所有瀏覽器移除登錄。');
    expect(removed.stdout).not.toContain('所有瀏覽器都已登錄');
    expect(manifestFiles(home)).toEqual([]);
    expect(readdirSync(home).filter((n) => n !== 'log')).toEqual([]);
    const after = host(home, 'status', '--browser', 'chrome,firefox');
    expect(after.status).toBe(1);
    expect(after.stdout).toContain('not registered');
    // With the browsers' folders gone too, doctor finds no browser to report on.
    const doctorAfter = JSON.parse(host(home, 'doctor', '--json').stdout) as {
      checks: Array<{ id: string }>;
    };
    expect(doctorAfter.checks.filter((c) => c.id === 'browser-registration')).toEqual([]);
  });

  it('doctor warns about a browser found without the host, and then does not say all is well', () => {
    const home = tempDir('reg-doctor');
    mkdirSync(path.join(home, '.config/google-chrome'), { recursive: true });
    const json = JSON.parse(host(home, 'doctor', '--json').stdout) as {
      summary: string;
      checks: Array<{ id: string; browser?: string; severity: string; problem?: { en: string } }>;
    };
    const browserChecks = json.checks.filter((c) => c.id === 'browser-registration');
    expect(browserChecks.map((c) => [c.browser, c.severity])).toEqual([['chrome', 'warning']]);
    expect(browserChecks[0]?.problem?.en).toContain('not registered');
    expect(json.summary).not.toBe('allGood');
    const text = host(home, 'doctor', '--lang', 'en').stdout;
    expect(text).toContain('cardbridge-host install');
    expect(text).not.toContain('Everything is ready.');
  });

  it('refuses an unknown browser, scope, option or language with exit status 2', () => {
    const home = tempDir('reg-usage');
    for (const args of [
      ['install', '--browser', 'chrome,opera'],
      ['install', '--scope', 'everyone'],
      ['status', '--verbose'],
      ['status', '--lang', 'fr'],
      ['install', '--browser'],
      ['doctor', '--verbose'],
      ['doctor', '--lang', 'fr'],
    ]) {
      const run = host(home, ...args);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).not.toBe('');
    }
    expect(manifestFiles(home)).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)(
    'registers machine-wide as root into a root prefix, and removes it all',
    () => {
      const home = tempDir('reg-root-home');
      const root = tempDir('reg-root');
      const installed = host(home, 'install', '--scope', 'system', '--root', root);
      expect(installed.status, installed.stderr).toBe(0);
      // Brave documents no machine-wide folder on Linux: said, not guessed.
      expect(installed.stdout).toMatch(/brave: this browser documents no place/);
      expect(
        manifestFiles(root)
          .map((f) => path.relative(root, f))
          .sort(),
      ).toEqual(
        [
          'etc/chromium/native-messaging-hosts',
          'etc/opt/chrome/native-messaging-hosts',
          'etc/opt/edge/native-messaging-hosts',
          'usr/lib/mozilla/native-messaging-hosts',
        ].map((d) => `${d}/${NATIVE_HOST_NAME}.json`),
      );
      const status = JSON.parse(
        host(home, 'status', '--scope', 'system', '--root', root, '--json').stdout,
      ) as StatusJson;
      expect(status.browsers.every((b) => b.outcome === 'registered')).toBe(true);
      expect(host(home, 'uninstall', '--scope', 'system', '--root', root).status).toBe(0);
      // Only the prefix's stand-ins for the system's own folders stay: those are never removed.
      expect(readdirSync(root, { recursive: true }).sort()).toEqual(['etc', 'etc/opt', 'usr', 'usr/lib']);
    },
  );
});
