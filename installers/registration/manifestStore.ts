/**
 * The file operations registration needs, behind one small interface so the Windows plan can be
 * unit-tested on Linux with an in-memory store. Errors from the file system become registration
 * errors: no rights is its own documented error, anything else is ERR_REGISTRATION_FAILED.
 */
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { RegistrationError } from './registrationError.ts';

export interface ManifestStore {
  read(file: string): string | undefined;
  exists(file: string): boolean;
  /** Creates missing folders; the file is readable by every user (browsers run as the user). */
  write(file: string, text: string): void;
  remove(file: string): void;
  /** Removes `dir` and its parents while they are empty, stopping below `stopAt`. */
  pruneEmpty(dir: string, stopAt: string): void;
  /** Could this process create or replace `file` (its nearest existing folder is writable)? */
  canWrite(file: string): boolean;
}

const DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);

function asRegistrationError(error: unknown, where: string): RegistrationError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  return DENIED.has(code)
    ? new RegistrationError('ERR_REGISTRATION_NO_RIGHTS', where)
    : new RegistrationError('ERR_REGISTRATION_FAILED', `${where}: ${code || String(error)}`);
}

function nearestExisting(dir: string): string {
  let current = dir;
  while (!existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  return current;
}

export const nodeManifestStore: ManifestStore = {
  read(file) {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: (file) => existsSync(file),
  write(file, text) {
    try {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
      writeFileSync(file, text, { mode: 0o644 });
    } catch (error) {
      throw asRegistrationError(error, file);
    }
  },
  remove(file) {
    try {
      rmSync(file, { force: true });
    } catch (error) {
      throw asRegistrationError(error, file);
    }
  },
  pruneEmpty(dir, stopAt) {
    const stop = path.resolve(stopAt);
    let current = path.resolve(dir);
    while (current !== stop && current.startsWith(`${stop}${path.sep}`)) {
      try {
        rmdirSync(current); // fails unless empty: exactly the folders nothing else uses
      } catch {
        return;
      }
      current = path.dirname(current);
    }
  },
  canWrite(file) {
    try {
      accessSync(nearestExisting(path.dirname(file)), constants.W_OK);
      return true;
    } catch {
      return false;
    }
  },
};
