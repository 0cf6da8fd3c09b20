/**
 * Lays out the macOS package tree (what pkgbuild takes on a Mac) and packs it as a reproducible
 * tarball:
 *   CardBridge-<v>-macos-<arch>/
 *     root/Library/Application Support/CardBridge/cardbridge-host, uninstall.sh
 *     root/Library/…/NativeMessagingHosts/tw.cardbridge.host.json   (Chrome, Edge, Chromium, Firefox)
 *     scripts/postinstall
 *     entitlements.plist, build-pkg.sh
 * The manifests are written by the registration module, as `install --scope system` would on macOS.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { installHost, registrationContext } from '../registration/registrar.ts';
import { resolveTargets } from '../registration/targets.ts';
import {
  INSTALL_DIR,
  INSTALLED_HOST,
  MAC_SYSTEM_BROWSERS,
  UNINSTALL_FILE,
  macPackageName,
  type MacArch,
} from './pkgInfo.ts';
import { ENTITLEMENTS, buildPkgScript, postinstallScript, uninstallScript } from './pkgScripts.ts';

export interface MacPayloadInput {
  /** The darwin host binary (dist/host/darwin-<arch>/cardbridge-host). */
  host: string;
  arch: MacArch;
  version: string;
  outDir: string;
  sourceDateEpoch: number;
}

/** The system manifests for macOS, their paths on the Mac (no root in front). */
export function macManifestTargets(systemRoot?: string) {
  return resolveTargets('darwin', 'system', MAC_SYSTEM_BROWSERS, {
    home: '/var/empty', // system scope never reads it
    ...(systemRoot ? { systemRoot } : {}),
  }).targets;
}

function writeExecutable(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

/** Fixed modes, whatever the umask: folders and executables 0755, other files 0644. */
function normaliseModes(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      chmodSync(full, 0o755);
      normaliseModes(full);
    } else {
      chmodSync(full, statSync(full).mode & 0o111 ? 0o755 : 0o644);
    }
  }
}

/** Writes the tree and its tarball; returns both paths. */
export function buildMacPayload(input: MacPayloadInput): { tree: string; tarball: string } {
  const name = macPackageName(input.version, input.arch);
  const tree = path.join(input.outDir, name);
  const root = path.join(tree, 'root');
  const tarball = `${tree}.tar.gz`;
  rmSync(tree, { recursive: true, force: true });
  mkdirSync(path.join(root, INSTALL_DIR), { recursive: true });

  copyFileSync(input.host, path.join(root, INSTALLED_HOST));
  chmodSync(path.join(root, INSTALLED_HOST), 0o755);
  const targets = macManifestTargets(root);
  installHost(targets, { hostPath: INSTALLED_HOST }, registrationContext('darwin'));
  writeExecutable(
    path.join(root, INSTALL_DIR, UNINSTALL_FILE),
    uninstallScript(macManifestTargets().map((t) => t.manifestPath)),
  );
  writeExecutable(path.join(tree, 'scripts/postinstall'), postinstallScript());
  writeExecutable(path.join(tree, 'build-pkg.sh'), buildPkgScript(input.version, input.arch));
  writeFileSync(path.join(tree, 'entitlements.plist'), ENTITLEMENTS);
  normaliseModes(tree);

  // GNU tar with every varying field fixed (order, times, owners), gzip without name and time.
  const tar = execFileSync(
    'tar',
    [
      '--sort=name',
      `--mtime=@${input.sourceDateEpoch}`,
      '--owner=0',
      '--group=0',
      '--numeric-owner',
      '--format=gnu',
      '-cf',
      '-',
      '-C',
      input.outDir,
      name,
    ],
    { maxBuffer: 1 << 30 },
  );
  writeFileSync(tarball, execFileSync('gzip', ['-9n'], { input: tar, maxBuffer: 1 << 30 }));
  return { tree, tarball };
}
