/**
 * Windows registry access through reg.exe (present on every Windows, and under wine): the key's
 * default value names the manifest file. The command lines are built by pure functions so the unit
 * tests can check exactly what would run.
 */
import { spawnSync } from 'node:child_process';
import { RegistrationError } from './registrationError.ts';

export interface RegistryAccess {
  readDefault(key: string): string | undefined;
  writeDefault(key: string, value: string): void;
  remove(key: string): void;
  /** Can this process write HKLM (an elevated administrator)? */
  isElevated(): boolean;
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
}
export type RunCommand = (file: string, args: readonly string[]) => CommandResult;

export const REG_EXE = 'reg.exe';

export const regCommand = {
  query: (key: string) => ['query', key, '/ve'],
  add: (key: string, value: string) => ['add', key, '/ve', '/t', 'REG_SZ', '/d', value, '/f'],
  delete: (key: string) => ['delete', key, '/f'],
  /** The LocalService profile's hive is readable by administrators only: a common elevation probe. */
  elevationProbe: () => ['query', 'HKU\\S-1-5-19'],
  /** Wine has no such hive: there the probe is a write to HKLM, undone at once. */
  writeProbe: () => ['add', WRITE_PROBE_KEY, '/f'],
  writeProbeUndo: () => ['delete', WRITE_PROBE_KEY, '/f'],
};

export const WRITE_PROBE_KEY = 'HKLM\\Software\\CardBridgeElevationProbe';

/** Elevated: the admin-only hive is readable, or (no such hive, as under wine) HKLM is writable. */
function probeElevation(run: RunCommand): boolean {
  if (run(REG_EXE, regCommand.elevationProbe()).status === 0) return true;
  if (run(REG_EXE, regCommand.writeProbe()).status !== 0) return false;
  run(REG_EXE, regCommand.writeProbeUndo());
  return true;
}

/**
 * The default value from `reg query <key> /ve`. Its name column is localised ("(Default)",
 * "(預設值)"…), so the line is found by its type column instead.
 */
export function parseDefaultValue(stdout: string): string | undefined {
  const match = /^\s+\S.*?\s{2,}REG_(?:EXPAND_)?SZ\s{2,}(.*?)\s*$/m.exec(stdout);
  return match?.[1] || undefined;
}

const runReal: RunCommand = (file, args) => {
  const result = spawnSync(file, args, { encoding: 'utf8', windowsHide: true });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? String(result.error ?? ''),
  };
};

export function regExeRegistry(run: RunCommand = runReal): RegistryAccess {
  const must = (args: string[], key: string) => {
    const result = run(REG_EXE, args);
    if (result.status !== 0) {
      throw new RegistrationError(
        'ERR_REGISTRATION_FAILED',
        `${key}: ${result.stderr.trim() || result.status}`,
      );
    }
  };
  return {
    readDefault(key) {
      const result = run(REG_EXE, regCommand.query(key));
      return result.status === 0 ? parseDefaultValue(result.stdout) : undefined;
    },
    writeDefault: (key, value) => must(regCommand.add(key, value), key),
    remove(key) {
      // Deleting a key that is not there is success: uninstall is idempotent.
      if (run(REG_EXE, regCommand.query(key)).status !== 0) return;
      must(regCommand.delete(key), key);
    },
    isElevated: () => probeElevation(run),
  };
}
