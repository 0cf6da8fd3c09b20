/**
 * The host binary is byte-reproducible: two builds of this checkout, in two different folders, give
 * the same file. The fixed V8 seed that makes the code cache reproducible must not get the cache
 * rejected when the binary starts (Node then warns "Code cache data rejected" on every start).
 * The macOS binaries are built here too (they cannot run here): reproducible, unsigned, their blob
 * in the NODE_SEA segment and the SEA fuse set.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasMachOSignature, machOSegments } from '../../native-host/sea/machoSignature.ts';
import { SEA_TARGETS, hostTarget } from '../../native-host/sea/targets.ts';

const root = path.resolve(import.meta.dirname, '../..');
const SLOW = 600_000;
const temp = mkdtempSync(path.join(tmpdir(), 'cardbridge-sea-'));
const target = SEA_TARGETS[hostTarget()];

/** Builds the host for this machine into `<temp>/<name>` (never dist/host, which other suites use). */
function buildHost(name: string, args: string[] = []): string {
  const out = path.join(temp, name);
  execFileSync(process.execPath, ['--import', 'tsx', 'native-host/sea/build.ts', ...args, '--out', out], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return out;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('the Linux host binary', () => {
  let first: string;
  let second: string;

  beforeAll(() => {
    first = path.join(buildHost('first'), target.binary);
    second = path.join(buildHost('second/deeper'), target.binary);
  }, SLOW);

  it('is the same file when built twice in two folders', () => {
    expect(sha256(second)).toBe(sha256(first));
  });

  it('starts with its code cache accepted and answers --version', () => {
    const run = spawnSync(first, ['--version'], { encoding: 'utf8' });
    const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
    expect(run.stderr).not.toMatch(/code cache/i);
  });
});

/** What a macOS binary built here must be: unsigned, its blob in NODE_SEA, the fuse set. */
function expectUnsignedSea(file: Buffer): void {
  expect(hasMachOSignature(file)).toBe(false);
  const segments = machOSegments(file);
  const sea = segments.find((s) => s.name === 'NODE_SEA');
  expect(sea?.sections).toEqual(['__NODE_SEA_BLOB']);
  const blob = file.subarray(sea!.fileOffset, sea!.fileOffset + sea!.fileSize);
  expect(blob.includes('koffi.node')).toBe(true);
  expect(blob.includes('host.cjs')).toBe(true);
  expect(file.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1')).toBe(true);
  // __LINKEDIT still ends the file: nothing was left behind where the signature was.
  const linkedit = segments.find((s) => s.name === '__LINKEDIT')!;
  expect(linkedit.fileOffset + linkedit.fileSize).toBe(file.length);
}

describe('the macOS host binaries built on Linux', () => {
  let x64: Buffer;
  let x64Again: Buffer;
  let arm64: Buffer;

  beforeAll(() => {
    const built = (name: string, target: 'darwin-x64' | 'darwin-arm64') =>
      readFileSync(path.join(buildHost(name, [target]), SEA_TARGETS[target].binary));
    x64 = built('darwin-first', 'darwin-x64');
    x64Again = built('darwin-second/deeper', 'darwin-x64');
    arm64 = built('darwin-arm64', 'darwin-arm64');
  }, SLOW);

  it('x64 is the same file when built twice in two folders', () => {
    expect(createHash('sha256').update(x64Again).digest('hex')).toBe(
      createHash('sha256').update(x64).digest('hex'),
    );
  });

  it('x64 and arm64 are unsigned, with the blob in NODE_SEA and the fuse set', () => {
    expectUnsignedSea(x64);
    expectUnsignedSea(arm64);
    expect(x64.readUInt32LE(4)).toBe(0x01000007); // CPU_TYPE_X86_64
    expect(arm64.readUInt32LE(4)).toBe(0x0100000c); // CPU_TYPE_ARM64
  });
});
