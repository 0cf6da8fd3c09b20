/**
 * Where to find PKCS#11 modules. The built-in list holds the HiCOS module (Chunghwa Telecom, on every
 * PC that uses MOICA/MOEACA/GCA/XCA cards) at its usual places per OS; only the paths that exist are
 * used. The Windows and macOS names are confirmed (taiwan-nhi-facts.md); the Linux name is a guess
 * (UNCONFIRMED), which is why IT can add modules through CARDBRIDGE_PKCS11_MODULES or the config file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const BUILT_IN_MODULES: Readonly<Partial<Record<NodeJS.Platform, readonly string[]>>> = {
  win32: ['C:\\Windows\\System32\\HiCOSPKCS11.dll', 'C:\\Windows\\SysWOW64\\HiCOSPKCS11.dll'],
  darwin: ['/usr/local/lib/libHicos_p11v1.dylib', '/Library/HiCOS/libHicos_p11v1.dylib'],
  linux: [
    '/usr/local/lib/libHicos_p11v1.so',
    '/usr/lib/libHicos_p11v1.so',
    '/usr/lib/x86_64-linux-gnu/libHicos_p11v1.so',
  ],
};

export interface ModuleSources {
  /** CARDBRIDGE_PKCS11_MODULES, split on the OS path delimiter. */
  env?: string;
  /** From the host's config file. */
  config?: readonly string[];
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
}

/** The modules to load, each once: explicit ones (env, config) always, built-in ones when present. */
export function pkcs11Modules(sources: ModuleSources): string[] {
  const platform = sources.platform ?? process.platform;
  const exists = sources.exists ?? existsSync;
  const delimiter = platform === 'win32' ? ';' : ':';
  const explicit = [...(sources.env ?? '').split(delimiter), ...(sources.config ?? [])]
    .map((p) => p.trim())
    .filter(Boolean);
  const builtIn = (BUILT_IN_MODULES[platform] ?? []).filter((p) => exists(p));
  const seen = new Set<string>();
  const norm = (p: string) =>
    platform === 'win32' ? path.win32.normalize(p).toLowerCase() : path.posix.normalize(p);
  return [...explicit, ...builtIn].filter((p) => {
    const key = norm(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** PKCS#12 files from CARDBRIDGE_PKCS12_FILES and the config file. */
export function pkcs12Files(
  env: string | undefined,
  config: readonly string[] = [],
  platform = process.platform,
): string[] {
  const delimiter = platform === 'win32' ? ';' : ':';
  const seen = new Set<string>();
  return [...(env ?? '').split(delimiter), ...config]
    .map((p) => p.trim())
    .filter((p) => {
      // Windows paths are case-insensitive: the same file twice is one token.
      const key = platform === 'win32' ? path.win32.normalize(p).toLowerCase() : p;
      if (!p || seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
