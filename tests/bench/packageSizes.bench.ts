/**
 * Installer and binary sizes per OS, from the release folder (`npm run release`): what IT
 * downloads. Only what this machine builds is there (linux-x64 host, .deb, .rpm); the Windows and
 * macOS rows appear once those are built.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface ArtefactSize {
  os: string;
  what: string;
  megabytes: number;
}

const KINDS: Array<{ test: RegExp; os: string; what: string }> = [
  { test: /^cardbridge-host-(linux|win|darwin)-\w+(\.exe)?$/, os: '', what: 'host binary' },
  { test: /\.deb$/, os: 'linux', what: '.deb' },
  { test: /\.rpm$/, os: 'linux', what: '.rpm' },
  { test: /\.exe$/i, os: 'win', what: 'installer' },
  { test: /\.pkg$/, os: 'darwin', what: 'installer' },
];

export function artefactSizes(releaseDir: string): ArtefactSize[] {
  if (!existsSync(releaseDir)) return [];
  const sizes: ArtefactSize[] = [];
  for (const name of readdirSync(releaseDir).sort()) {
    const kind = KINDS.find((k) => k.test.test(name));
    if (!kind) continue;
    const os = kind.os || name.replace(/^cardbridge-host-/, '').replace(/\.exe$/, '');
    sizes.push({ os, what: kind.what, megabytes: statSync(path.join(releaseDir, name)).size / 1e6 });
  }
  return sizes;
}
