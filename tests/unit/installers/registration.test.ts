/**
 * Host registration (installers/registration): where each browser's manifest goes per OS and
 * scope, what it says, idempotent install/uninstall on a temp HOME, refusal without rights, and the
 * reg.exe command lines Windows registration runs.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BROWSERS,
  HOST_LOCATIONS,
  HOST_OSES,
  SCOPES,
  buildHostManifest,
  hostStatus,
  installHost,
  nodeManifestStore,
  parseBrowserList,
  parseDefaultValue,
  parseHostManifest,
  regCommand,
  regExeRegistry,
  resolveTargets,
  uninstallHost,
  WRITE_PROBE_KEY,
  type ManifestStore,
  type RegistrationContext,
  type RunCommand,
} from '../../../installers/registration/index.ts';
import { EXTENSION_IDS, NATIVE_HOST_NAME } from '../../../shared/protocol/version.ts';

const temps: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `cardbridge-reg-${prefix}-`));
  temps.push(dir);
  return dir;
}
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => path.join(e.parentPath, e.name));
}

const linux: RegistrationContext = { os: 'linux', store: nodeManifestStore };

describe('manifest locations', () => {
  it('lists every browser for every OS and scope, each with its documentation', () => {
    for (const os of HOST_OSES)
      for (const scope of SCOPES)
        for (const browser of BROWSERS) {
          expect(HOST_LOCATIONS[os][scope][browser].source).toMatch(/^https:\/\//);
        }
  });

  it('puts Linux per-user manifests in the browsers’ config folders, honouring XDG_CONFIG_HOME', () => {
    const { targets } = resolveTargets('linux', 'user', BROWSERS, { home: '/home/clerk' });
    expect(Object.fromEntries(targets.map((t) => [t.browser, t.manifestPath]))).toEqual({
      chrome: `/home/clerk/.config/google-chrome/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
      edge: `/home/clerk/.config/microsoft-edge/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
      chromium: `/home/clerk/.config/chromium/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
      firefox: `/home/clerk/.mozilla/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
      brave: `/home/clerk/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
    });
    const xdg = resolveTargets('linux', 'user', ['chromium', 'firefox'], {
      home: '/home/clerk',
      xdgConfigHome: '/srv/conf',
    });
    expect(xdg.targets.map((t) => t.manifestPath)).toEqual([
      `/srv/conf/chromium/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
      `/home/clerk/.mozilla/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
    ]);
  });

  it('puts Linux system manifests under /etc and /usr/lib, behind a root prefix when given, and has none for Brave', () => {
    const plain = resolveTargets('linux', 'system', BROWSERS, { home: '/root' });
    expect(plain.targets.map((t) => path.dirname(t.manifestPath))).toEqual([
      '/etc/opt/chrome/native-messaging-hosts',
      '/etc/opt/edge/native-messaging-hosts',
      '/etc/chromium/native-messaging-hosts',
      '/usr/lib/mozilla/native-messaging-hosts',
    ]);
    expect(plain.unsupported.map((u) => u.browser)).toEqual(['brave']);
    const staged = resolveTargets('linux', 'system', ['chrome'], { home: '/root', systemRoot: '/tmp/stage' });
    expect(staged.targets[0]?.manifestPath).toBe(
      `/tmp/stage/etc/opt/chrome/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
    );
  });

  it("uses Fedora's /usr/lib64/mozilla for the system Firefox when the machine has it", () => {
    const lib64 = resolveTargets('linux', 'system', ['firefox', 'chrome'], {
      home: '/root',
      firefoxLib64: true,
    });
    expect(lib64.targets.map((t) => path.dirname(t.manifestPath))).toEqual([
      '/usr/lib64/mozilla/native-messaging-hosts',
      '/etc/opt/chrome/native-messaging-hosts',
    ]);
    const user = resolveTargets('linux', 'user', ['firefox'], { home: '/home/clerk', firefoxLib64: true });
    expect(user.targets[0]?.manifestPath).toBe(
      `/home/clerk/.mozilla/native-messaging-hosts/${NATIVE_HOST_NAME}.json`,
    );
  });

  it('uses the macOS Library folders for both scopes', () => {
    const user = resolveTargets('darwin', 'user', ['chrome', 'edge', 'firefox'], { home: '/Users/clerk' });
    expect(user.targets.map((t) => path.dirname(t.manifestPath))).toEqual([
      '/Users/clerk/Library/Application Support/Google/Chrome/NativeMessagingHosts',
      '/Users/clerk/Library/Application Support/Microsoft Edge/NativeMessagingHosts',
      '/Users/clerk/Library/Application Support/Mozilla/NativeMessagingHosts',
    ]);
    const system = resolveTargets('darwin', 'system', ['chrome', 'edge', 'firefox'], {
      home: '/Users/clerk',
    });
    expect(system.targets.map((t) => path.dirname(t.manifestPath))).toEqual([
      '/Library/Google/Chrome/NativeMessagingHosts',
      '/Library/Microsoft/Edge/NativeMessagingHosts',
      '/Library/Application Support/Mozilla/NativeMessagingHosts',
    ]);
  });

  it('names HKCU keys per user and HKLM keys per machine on Windows, each browser with its own key and file', () => {
    const env = {
      home: 'C:\\Users\\clerk',
      localAppData: 'C:\\Users\\clerk\\AppData\\Local',
      programFiles: 'C:\\Program Files',
    };
    const user = resolveTargets('win32', 'user', ['chrome', 'edge', 'firefox'], env).targets;
    expect(user.map((t) => [t.registryKey, t.manifestPath])).toEqual([
      [
        `HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
        `C:\\Users\\clerk\\AppData\\Local\\CardBridge\\NativeMessagingHosts\\chrome\\${NATIVE_HOST_NAME}.json`,
      ],
      [
        `HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
        `C:\\Users\\clerk\\AppData\\Local\\CardBridge\\NativeMessagingHosts\\edge\\${NATIVE_HOST_NAME}.json`,
      ],
      [
        `HKCU\\Software\\Mozilla\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
        `C:\\Users\\clerk\\AppData\\Local\\CardBridge\\NativeMessagingHosts\\firefox\\${NATIVE_HOST_NAME}.json`,
      ],
    ]);
    const system = resolveTargets('win32', 'system', BROWSERS, env);
    expect(system.unsupported).toEqual([]);
    expect(system.targets.every((t) => t.registryKey?.startsWith('HKLM\\Software\\'))).toBe(true);
    expect(system.targets[0]?.manifestPath).toBe(
      `C:\\Program Files\\CardBridge\\NativeMessagingHosts\\chrome\\${NATIVE_HOST_NAME}.json`,
    );
  });

  it('reads a browser list and refuses an unknown name', () => {
    expect(parseBrowserList('Chrome, firefox,chrome')).toEqual(['chrome', 'firefox']);
    expect(() => parseBrowserList('chrome,opera')).toThrow(/ERR_REGISTRATION_UNKNOWN_BROWSER.*opera/);
    expect(() => parseBrowserList(',')).toThrow(/ERR_REGISTRATION_UNKNOWN_BROWSER/);
  });
});

describe('manifest contents', () => {
  it('names the extension origin for Chromium-family browsers and the add-on id for Firefox', () => {
    expect(buildHostManifest('chromium', '/opt/host', 'd')).toEqual({
      name: NATIVE_HOST_NAME,
      description: 'd',
      path: '/opt/host',
      type: 'stdio',
      allowed_origins: [`chrome-extension://${EXTENSION_IDS.chromium}/`],
    });
    expect(buildHostManifest('firefox', '/opt/host', 'd')).toEqual({
      name: NATIVE_HOST_NAME,
      description: 'd',
      path: '/opt/host',
      type: 'stdio',
      allowed_extensions: [EXTENSION_IDS.firefox],
    });
  });

  it('accepts a manifest only for the family and the extension it was written for', () => {
    const chromium = JSON.stringify(buildHostManifest('chromium', '/opt/host', 'd'));
    expect(parseHostManifest('chromium', chromium)?.path).toBe('/opt/host');
    expect(parseHostManifest('firefox', chromium)).toBeUndefined();
    expect(
      parseHostManifest('chromium', chromium.replace(EXTENSION_IDS.chromium, 'a'.repeat(32))),
    ).toBeUndefined();
    expect(parseHostManifest('chromium', '{not json')).toBeUndefined();
  });
});

describe('install, status and uninstall on Linux (temp HOME)', () => {
  function setUp() {
    const home = tempDir('home');
    const hostPath = path.join(tempDir('bin'), 'cardbridge-host');
    writeFileSync(hostPath, '#!/bin/sh\n', { mode: 0o755 });
    return { home, hostPath, targets: resolveTargets('linux', 'user', BROWSERS, { home }).targets };
  }

  it('writes each manifest once, reports it registered, and a second install changes nothing', () => {
    const { home, hostPath, targets } = setUp();
    expect(installHost(targets, { hostPath }, linux).map((r) => r.outcome)).toEqual(Array(5).fill('written'));
    const firefox = JSON.parse(
      readFileSync(path.join(home, `.mozilla/native-messaging-hosts/${NATIVE_HOST_NAME}.json`), 'utf8'),
    ) as Record<string, unknown>;
    expect(firefox).toMatchObject({ path: hostPath, allowed_extensions: [EXTENSION_IDS.firefox] });
    const before = filesUnder(home).map((f) => [f, readFileSync(f, 'utf8')]);

    expect(installHost(targets, { hostPath }, linux).map((r) => r.outcome)).toEqual(
      Array(5).fill('unchanged'),
    );
    expect(filesUnder(home).map((f) => [f, readFileSync(f, 'utf8')])).toEqual(before);
    expect(hostStatus(targets, linux, hostPath).map((s) => s.state)).toEqual(Array(5).fill('registered'));
    expect(hostStatus(targets, linux, '/usr/lib/cardbridge/cardbridge-host')[0]?.state).toBe('elsewhere');
  });

  it('uninstall removes the manifests and the folders it left empty, and a second uninstall finds nothing', () => {
    const { home, hostPath, targets } = setUp();
    installHost(targets, { hostPath }, linux);
    writeFileSync(path.join(home, 'keep.txt'), 'not ours');
    expect(uninstallHost(targets, linux).map((r) => r.outcome)).toEqual(Array(5).fill('removed'));
    expect(readdirSync(home)).toEqual(['keep.txt']);
    expect(uninstallHost(targets, linux).map((r) => r.outcome)).toEqual(Array(5).fill('absent'));
    expect(hostStatus(targets, linux, hostPath).map((s) => s.state)).toEqual(Array(5).fill('absent'));
  });

  it('calls a registration naming a missing host broken, and malformed JSON too', () => {
    const { hostPath, targets } = setUp();
    installHost(targets.slice(0, 2), { hostPath: '/nowhere/cardbridge-host' }, linux);
    writeFileSync(targets[0]!.manifestPath, '{');
    expect(hostStatus(targets.slice(0, 2), linux, hostPath).map((s) => s.state)).toEqual([
      'broken',
      'broken',
    ]);
  });

  it('keeps registrations that are not its own when asked to (the demo beside an installed host)', () => {
    const { hostPath, targets } = setUp();
    const [chrome, firefox] = [targets[0]!, targets[3]!];
    installHost([chrome], { hostPath: '/usr/lib/cardbridge/cardbridge-host' }, linux);
    const demo = (m: { description: string } | undefined) => m?.description === 'demo';
    const outcomes = installHost(
      [chrome, firefox],
      { hostPath, description: 'demo', replaceOnly: demo },
      linux,
    );
    expect(outcomes.map((r) => r.outcome)).toEqual(['kept', 'written']);
    expect(uninstallHost([chrome, firefox], linux, demo).map((r) => r.outcome)).toEqual(['kept', 'removed']);
    expect(hostStatus([chrome], linux)[0]?.hostPath).toBe('/usr/lib/cardbridge/cardbridge-host');
  });
});

describe('system scope without the rights', () => {
  /** Runs registration as an unprivileged user (nobody when we are root) against a root-owned, read-only tree. */
  it('refuses with ERR_REGISTRATION_NO_RIGHTS and writes nothing', () => {
    const root = tempDir('sysroot');
    chmodSync(root, 0o755);
    const script = path.join(tempDir('script'), 'install.ts');
    writeFileSync(
      script,
      [
        `import { installHost, nodeManifestStore, resolveTargets } from ${JSON.stringify(path.resolve('installers/registration/index.ts'))};`,
        `const { targets } = resolveTargets('linux', 'system', ['chrome', 'firefox'], { home: '/nonexistent', systemRoot: ${JSON.stringify(root)} });`,
        `try { installHost(targets, { hostPath: '/usr/lib/cardbridge/cardbridge-host' }, { os: 'linux', store: nodeManifestStore }); console.log('installed'); }`,
        `catch (e) { console.log(e.code, e.detail); }`,
      ].join('\n'),
    );
    chmodSync(path.dirname(script), 0o755);
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) chmodSync(root, 0o555);
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      cwd: process.cwd(),
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      env: { ...process.env, HOME: '/nonexistent' },
    });
    chmodSync(root, 0o755);
    expect(run.stdout.trim()).toMatch(new RegExp(`^ERR_REGISTRATION_NO_RIGHTS ${root}/etc/opt/chrome/`));
    expect(readdirSync(root)).toEqual([]);
  }, 60_000);
});

describe('Windows registration through reg.exe', () => {
  /** A registry as reg.exe shows it, and every command line run against it. */
  function fakeReg(elevated: boolean) {
    const keys = new Map<string, string>();
    const calls: string[][] = [];
    const run: RunCommand = (file, args) => {
      calls.push([file, ...args]);
      const [verb, key = ''] = args;
      const fail = {
        status: 1,
        stdout: '',
        stderr: 'ERROR: The system was unable to find the specified registry key or value.',
      };
      if (key === 'HKU\\S-1-5-19')
        return elevated
          ? { status: 0, stdout: '', stderr: '' }
          : { ...fail, stderr: 'ERROR: Access is denied.' };
      if (verb === 'query') {
        const value = keys.get(key);
        return value === undefined
          ? fail
          : { status: 0, stdout: `\r\n${key}\r\n    (預設值)    REG_SZ    ${value}\r\n\r\n`, stderr: '' };
      }
      if (verb === 'add' && !elevated && key.startsWith('HKLM\\')) {
        return { ...fail, stderr: 'ERROR: Access is denied.' };
      }
      if (verb === 'add') keys.set(key, args[args.indexOf('/d') + 1]!);
      if (verb === 'delete') keys.delete(key);
      return { status: 0, stdout: 'The operation completed successfully.', stderr: '' };
    };
    return { keys, calls, registry: regExeRegistry(run) };
  }
  function memoryStore(): ManifestStore & { files: Map<string, string> } {
    const files = new Map<string, string>();
    return {
      files,
      read: (f) => files.get(f),
      exists: (f) => files.has(f) || f === 'C:\\Program Files\\CardBridge\\cardbridge-host.exe',
      write: (f, text) => void files.set(f, text),
      remove: (f) => void files.delete(f),
      pruneEmpty: () => undefined,
      canWrite: () => true,
    };
  }
  const env = {
    home: 'C:\\Users\\clerk',
    localAppData: 'C:\\Users\\clerk\\AppData\\Local',
    programFiles: 'C:\\Program Files',
  };
  const hostPath = 'C:\\Program Files\\CardBridge\\cardbridge-host.exe';
  const chromeKey = `HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`;
  const chromeFile = `C:\\Program Files\\CardBridge\\NativeMessagingHosts\\chrome\\${NATIVE_HOST_NAME}.json`;

  it('reads the default value whatever the language of its name column', () => {
    expect(
      parseDefaultValue(`\r\nHKEY_CURRENT_USER\\X\r\n    (Default)    REG_SZ    C:\\A B\\m.json\r\n`),
    ).toBe('C:\\A B\\m.json');
    expect(parseDefaultValue(`\r\nHKCU\\X\r\n    (預設值)    REG_SZ    C:\\m.json\r\n`)).toBe('C:\\m.json');
    expect(parseDefaultValue('')).toBeUndefined();
  });

  it('machine-wide install runs reg add for each HKLM key once, and is idempotent', () => {
    const { calls, keys, registry } = fakeReg(true);
    const store = memoryStore();
    const ctx: RegistrationContext = { os: 'win32', store, registry };
    const { targets } = resolveTargets('win32', 'system', ['chrome', 'firefox'], env);
    expect(installHost(targets, { hostPath }, ctx).map((r) => r.outcome)).toEqual(['written', 'written']);
    expect(calls.filter((c) => c[1] === 'add')).toEqual([
      ['reg.exe', 'add', chromeKey, '/ve', '/t', 'REG_SZ', '/d', chromeFile, '/f'],
      [
        'reg.exe',
        ...regCommand.add(
          `HKLM\\Software\\Mozilla\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
          `C:\\Program Files\\CardBridge\\NativeMessagingHosts\\firefox\\${NATIVE_HOST_NAME}.json`,
        ),
      ],
    ]);
    expect(JSON.parse(store.files.get(chromeFile)!)).toMatchObject({ path: hostPath });
    expect(keys.get(chromeKey)).toBe(chromeFile);

    calls.length = 0;
    expect(installHost(targets, { hostPath }, ctx).map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(calls.some((c) => c[1] === 'add')).toBe(false);
    expect(hostStatus(targets, ctx, hostPath).map((s) => s.state)).toEqual(['registered', 'registered']);

    calls.length = 0;
    expect(uninstallHost(targets, ctx).map((r) => r.outcome)).toEqual(['removed', 'removed']);
    expect(calls.filter((c) => c[1] === 'delete')[0]).toEqual(['reg.exe', 'delete', chromeKey, '/f']);
    expect(keys.size).toBe(0);
    expect(store.files.size).toBe(0);
  });

  it('refuses machine-wide registration when not elevated, before touching anything', () => {
    const { calls, registry } = fakeReg(false);
    const store = memoryStore();
    const { targets } = resolveTargets('win32', 'system', ['chrome'], env);
    expect(() => installHost(targets, { hostPath }, { os: 'win32', store, registry })).toThrow(
      /ERR_REGISTRATION_NO_RIGHTS/,
    );
    expect(calls).toEqual([
      ['reg.exe', 'query', 'HKU\\S-1-5-19'],
      ['reg.exe', 'add', WRITE_PROBE_KEY, '/f'],
    ]);
    expect(store.files.size).toBe(0);
  });

  it('under wine (no LocalService hive) an administrator is found by a write to HKLM, undone at once', () => {
    const calls: string[][] = [];
    const keys = new Set<string>();
    const registry = regExeRegistry((file, args) => {
      calls.push([file, ...args]);
      const [verb, key = ''] = args;
      if (verb === 'add') keys.add(key);
      if (verb === 'delete') keys.delete(key);
      return verb === 'query'
        ? { status: 1, stdout: '', stderr: 'not found' }
        : { status: 0, stdout: '', stderr: '' };
    });
    expect(registry.isElevated()).toBe(true);
    expect(calls.map((c) => c[1])).toEqual(['query', 'add', 'delete']);
    expect(keys.size).toBe(0);
  });

  it('per-user install needs no elevation and writes HKCU', () => {
    const { calls, keys, registry } = fakeReg(false);
    const { targets } = resolveTargets('win32', 'user', ['edge'], env);
    installHost(targets, { hostPath }, { os: 'win32', store: memoryStore(), registry });
    expect(calls.some((c) => c.includes('HKU\\S-1-5-19'))).toBe(false);
    expect([...keys.keys()]).toEqual([
      `HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\${NATIVE_HOST_NAME}`,
    ]);
  });
});
