/**
 * Snap and Flatpak browsers on Linux: their sandbox keeps them from starting a host installed on
 * the machine (see installers/README.md), so status and doctor name them instead of staying silent.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BrowserId, HostOs } from './browsers.ts';
import type { RegistrationEnv } from './targets.ts';

export type SandboxPackaging = 'snap' | 'flatpak';

export interface SandboxedBrowser {
  browser: BrowserId;
  packaging: SandboxPackaging;
  where: string;
}

/** Snap names and Flathub application ids of the browsers (Chrome and Edge ship no snap). */
const SNAP_NAMES: Partial<Record<BrowserId, string>> = {
  chromium: 'chromium',
  firefox: 'firefox',
  brave: 'brave',
};
const FLATPAK_IDS: Record<BrowserId, string> = {
  chrome: 'com.google.Chrome',
  edge: 'com.microsoft.Edge',
  chromium: 'org.chromium.Chromium',
  firefox: 'org.mozilla.firefox',
  brave: 'com.brave.Browser',
};

export function findSandboxedBrowsers(
  os: HostOs,
  env: RegistrationEnv,
  exists: (file: string) => boolean = existsSync,
): SandboxedBrowser[] {
  if (os !== 'linux') return [];
  const root = env.systemRoot ?? '/';
  const found: SandboxedBrowser[] = [];
  for (const [browser, snap] of Object.entries(SNAP_NAMES) as Array<[BrowserId, string]>) {
    const where = path.join(root, 'snap', snap, 'current');
    if (exists(where)) found.push({ browser, packaging: 'snap', where });
  }
  for (const [browser, id] of Object.entries(FLATPAK_IDS) as Array<[BrowserId, string]>) {
    const places = [
      path.join(root, 'var/lib/flatpak/app', id),
      path.join(env.home, '.local/share/flatpak/app', id),
    ];
    const where = places.find((p) => exists(p));
    if (where) found.push({ browser, packaging: 'flatpak', where });
  }
  return found;
}
