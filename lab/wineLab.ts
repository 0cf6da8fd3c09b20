/**
 * Wine 10 from the Debian trixie chroot that installers/windows/wineLab.sh makes (Debian 12's
 * wine 8 has only a stub winscard). Programs run in the chroot with the project and temp folders
 * bound at the same paths, so Linux paths, wine's Z: paths and the lab's pcscd socket all stay valid.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { WineRuntime } from './wine.ts';

const root = path.resolve(import.meta.dirname, '..');
export const WINE_LAB_SCRIPT = path.join(root, 'installers/windows/wineLab.sh');
export const WINE10_CHROOT = process.env.CARDBRIDGE_WINE_CHROOT || '/var/cache/cardbridge-wine/trixie';

const chrootReady = () =>
  ['usr/lib/wine/wine64', 'usr/lib/wine/wineserver64'].every((f) => existsSync(path.join(WINE10_CHROOT, f)));

/** Why the wine 10 chroot can be neither used nor made here, or undefined when it can. */
export const WINE10_MISSING: string | undefined =
  process.getuid?.() !== 0
    ? `the wine 10 chroot needs root (chroot and mounts), and this runs as uid ${process.getuid?.()}`
    : chrootReady()
      ? undefined
      : spawnSync('sh', ['-c', 'command -v debootstrap'], { stdio: 'ignore' }).status !== 0
        ? `no wine 10 chroot at ${WINE10_CHROOT} and no debootstrap to make one (apt install debootstrap)`
        : undefined;

/** Makes the chroot if needed and puts the machine's libpcsclite in it (cheap once it exists). */
export function ensureWine10(): void {
  execFileSync(WINE_LAB_SCRIPT, ['ensure'], { stdio: 'inherit', timeout: 1_800_000 });
}

/** The chroot's wine 10, with the project folder bound in it (the temp folder always is). */
export const WINE10: WineRuntime = {
  wine: [WINE_LAB_SCRIPT, 'run', '--bind', root, '--', '/usr/lib/wine/wine64'],
  wineserver: [WINE_LAB_SCRIPT, 'run', '--bind', root, '--', '/usr/lib/wine/wineserver64'],
};
