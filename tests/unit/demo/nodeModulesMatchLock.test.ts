import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeModulesMatchLock } from '../../../scripts/preflight.mjs';

type Packages = Record<string, { version?: string; optional?: boolean; devOptional?: boolean }>;

const wanted: Packages = {
  '': { version: '0.1.0' },
  'node_modules/fastify': { version: '5.12.8' },
  'node_modules/@esbuild/darwin-arm64': { version: '0.25.0', optional: true },
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-preflight-'));
  mkdirSync(path.join(dir, 'node_modules'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(lock: Packages, installed: Packages | undefined): void {
  writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ packages: lock }));
  if (installed)
    writeFileSync(path.join(dir, 'node_modules/.package-lock.json'), JSON.stringify({ packages: installed }));
}

describe('whether npm start must run npm ci', () => {
  it('does not when node_modules holds what the lock names, whatever the file times', () => {
    write(wanted, { 'node_modules/fastify': { version: '5.12.8' } });
    // A checkout makes the lock newer than node_modules: that alone is no change.
    const later = new Date(Date.now() + 3_600_000);
    utimesSync(path.join(dir, 'package-lock.json'), later, later);
    expect(nodeModulesMatchLock(dir)).toBe(true);
  });

  it('does on a fresh clone (nothing installed)', () => {
    write(wanted, undefined);
    expect(nodeModulesMatchLock(dir)).toBe(false);
  });

  it('does when a version changed, a package was added or one was removed', () => {
    write(wanted, { 'node_modules/fastify': { version: '5.12.7' } });
    expect(nodeModulesMatchLock(dir)).toBe(false);
    write(
      { ...wanted, 'node_modules/pg': { version: '8.23.1' } },
      { 'node_modules/fastify': { version: '5.12.8' } },
    );
    expect(nodeModulesMatchLock(dir)).toBe(false);
    write(wanted, {
      'node_modules/fastify': { version: '5.12.8' },
      'node_modules/left-pad': { version: '1.3.0' },
    });
    expect(nodeModulesMatchLock(dir)).toBe(false);
  });

  it("matches this repository's own node_modules", () => {
    expect(nodeModulesMatchLock()).toBe(true);
  });
});
