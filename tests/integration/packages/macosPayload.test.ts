/**
 * The macOS package tree (what pkgbuild takes on a Mac) and its tarball: the paths Apple's, Google's,
 * Microsoft's and Mozilla's documents give, the manifests naming the installed host and our extension
 * ids from shared/, the scripts valid for sh, the tarball the same on two builds. The postinstall is
 * run for real with this machine's host binary in a temporary root: its options are the CLI's.
 * pkgbuild, codesign and installer exist only on macOS, so the .pkg itself is not made here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMacPayload } from '../../../installers/macos/payload.ts';
import { EXTENSION_IDS, NATIVE_HOST_NAME } from '../../../shared/protocol/version.ts';
import { HOST_BIN } from '../helpers/hostProcess.ts';

const HOST = '/Library/Application Support/CardBridge/cardbridge-host';
const MANIFESTS = {
  chrome: `/Library/Google/Chrome/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
  edge: `/Library/Microsoft/Edge/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
  chromium: `/Library/Application Support/Chromium/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
  firefox: `/Library/Application Support/Mozilla/NativeMessagingHosts/${NATIVE_HOST_NAME}.json`,
};
const EPOCH = 1_764_720_000;
const temp = mkdtempSync(path.join(tmpdir(), 'cardbridge-macos-'));
/** A stand-in for the darwin binary (tests/integration/seaBuild.test.ts builds the real one). */
const standIn = path.join(temp, 'host-stand-in');
let tree: string;
let tarball: string;

function build(outDir: string) {
  return buildMacPayload({ host: standIn, arch: 'x64', version: '9.8.7', outDir, sourceDateEpoch: EPOCH });
}

/** Every file under dir, relative with a leading slash, with its mode. */
function files(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true }) as string[]) {
    const stat = statSync(path.join(dir, f));
    if (stat.isFile()) found[`/${f}`] = (stat.mode & 0o777).toString(8);
  }
  return found;
}

beforeAll(() => {
  writeFileSync(standIn, `stand-in ${process.pid}\n`);
  ({ tree, tarball } = build(path.join(temp, 'one')));
});
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the macOS package tree', () => {
  it('holds the host, its uninstaller and the four system manifests, and the scripts beside', () => {
    expect(path.basename(tree)).toBe('CardBridge-9.8.7-macos-x64');
    expect(files(path.join(tree, 'root'))).toEqual({
      [HOST]: '755',
      '/Library/Application Support/CardBridge/uninstall.sh': '755',
      [MANIFESTS.chrome]: '644',
      [MANIFESTS.edge]: '644',
      [MANIFESTS.chromium]: '644',
      [MANIFESTS.firefox]: '644',
    });
    expect(files(tree)).toMatchObject({
      '/scripts/postinstall': '755',
      '/build-pkg.sh': '755',
      '/entitlements.plist': '644',
    });
    expect(readFileSync(path.join(tree, 'root', HOST))).toEqual(readFileSync(standIn));
  });

  it('has manifests naming the installed host and the extension ids from shared/', () => {
    const read = (file: string) => JSON.parse(readFileSync(path.join(tree, 'root', file), 'utf8')) as unknown;
    const common = { name: NATIVE_HOST_NAME, path: HOST, type: 'stdio' };
    for (const browser of ['chrome', 'edge', 'chromium'] as const) {
      expect(read(MANIFESTS[browser])).toMatchObject({
        ...common,
        allowed_origins: [`chrome-extension://${EXTENSION_IDS.chromium}/`],
      });
    }
    expect(read(MANIFESTS.firefox)).toMatchObject({ ...common, allowed_extensions: [EXTENSION_IDS.firefox] });
  });

  it('has scripts sh accepts, build-pkg.sh naming pkgbuild with the identifier and version', () => {
    for (const script of [
      'scripts/postinstall',
      'build-pkg.sh',
      'root/Library/Application Support/CardBridge/uninstall.sh',
    ]) {
      expect(spawnSync('sh', ['-n', path.join(tree, script)]).status, script).toBe(0);
    }
    const buildPkg = readFileSync(path.join(tree, 'build-pkg.sh'), 'utf8');
    expect(buildPkg).toContain(
      'pkgbuild --root root --scripts scripts --identifier tw.cardbridge.host --version 9.8.7',
    );
    expect(buildPkg).toContain('CardBridge-9.8.7-macos-x64.pkg');
    const uninstall = readFileSync(
      path.join(tree, 'root/Library/Application Support/CardBridge/uninstall.sh'),
      'utf8',
    );
    for (const manifest of Object.values(MANIFESTS)) expect(uninstall).toContain(`'${manifest}'`);
  });

  it('packs into a tarball that is the same on a second build, owned by root, dated SOURCE_DATE_EPOCH', () => {
    const again = build(path.join(temp, 'two')).tarball;
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    expect(sha(again)).toBe(sha(tarball));
    const listing = execFileSync('tar', ['-tvzf', tarball, '--numeric-owner', '--full-time'], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    })
      .trim()
      .split('\n');
    expect(listing.some((l) => l.endsWith(`CardBridge-9.8.7-macos-x64/root${HOST}`))).toBe(true);
    for (const line of listing) expect(line).toMatch(/^\S+ 0\/0 .* 2025-12-03 00:00:00 /);
  });
});

describe('the postinstall', () => {
  it("runs the installed host's own registration with options the CLI accepts", () => {
    // This machine's host in the tree's place: it registers for Linux, but takes the same options.
    const volume = path.join(temp, 'volume');
    cpSync(path.join(tree, 'root'), volume, { recursive: true });
    cpSync(HOST_BIN, path.join(volume, HOST));
    const run = spawnSync('sh', [path.join(tree, 'scripts/postinstall'), 'the.pkg', '/', volume], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const written = path.join(volume, `etc/chromium/native-messaging-hosts/${NATIVE_HOST_NAME}.json`);
    expect(existsSync(written)).toBe(true);
    expect(JSON.parse(readFileSync(written, 'utf8'))).toMatchObject({ path: HOST });
  });

  it('stops with a clear message when the host cannot start', () => {
    const volume = path.join(temp, 'broken');
    cpSync(path.join(tree, 'root'), volume, { recursive: true });
    const run = spawnSync('sh', [path.join(tree, 'scripts/postinstall'), 'the.pkg', '/', volume], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Rosetta 2/);
  });
});
