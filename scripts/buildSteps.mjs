// The build steps of `npm start` and when each may be skipped: a step whose inputs have not changed
// since its last successful build (a fingerprint of their contents, stamped in dist/) and whose
// outputs are all there is not run again. Plain Node: start.mjs runs it without tsx.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SHARED_INPUTS = ['shared', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** What each step reads and writes, relative to the repository root. */
export const BUILD_STEPS = [
  {
    name: 'host',
    label: { zh: '主機程式', en: 'the host' },
    script: 'build:host',
    inputs: [...SHARED_INPUTS, 'native-host', 'installers'],
    outputs: ['dist/host/cardbridge-host'],
  },
  {
    name: 'extension',
    label: { zh: '擴充功能', en: 'the extension' },
    script: 'build:extension',
    inputs: [
      ...SHARED_INPUTS,
      'extension',
      'manifest.json',
      'vite.config.ts',
      'scripts/package-extension.mjs',
    ],
    outputs: ['dist/chrome', 'dist/firefox'],
  },
];

/** Every file under the given paths (folders walked, node_modules left out), sorted. */
function inputFiles(root, inputs) {
  const files = [];
  const walk = (relative) => {
    const full = path.join(root, relative);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) {
      for (const entry of readdirSync(full)) if (entry !== 'node_modules') walk(path.join(relative, entry));
    } else {
      files.push(relative);
    }
  };
  inputs.forEach(walk);
  return files.sort();
}

/** A hash of the inputs' names and contents: touching a file without changing it does not count. */
export function fingerprint(root, inputs) {
  const hash = createHash('sha256');
  for (const file of inputFiles(root, inputs)) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export function stampPath(root, step) {
  return path.join(root, 'dist', '.build-stamps', `${step.name}.json`);
}

function readStamp(root, step) {
  try {
    return JSON.parse(readFileSync(stampPath(root, step), 'utf8')).fingerprint;
  } catch {
    return undefined;
  }
}

/**
 * Whether a step must run: 'missing-output', 'changed' (or never stamped), or 'up-to-date'.
 * The fingerprint is taken before the build, so a change made while it runs is seen next time.
 */
export function buildDecision(root, step) {
  const current = fingerprint(root, step.inputs);
  if (!step.outputs.every((output) => existsSync(path.join(root, output)))) {
    return { reason: 'missing-output', fingerprint: current };
  }
  return { reason: readStamp(root, step) === current ? 'up-to-date' : 'changed', fingerprint: current };
}

/** Forgets the step's stamp: a failed or interrupted build must not count as done. */
export function clearStamp(root, step) {
  rmSync(stampPath(root, step), { force: true });
}

export function writeStamp(root, step, current) {
  mkdirSync(path.dirname(stampPath(root, step)), { recursive: true });
  writeFileSync(stampPath(root, step), `${JSON.stringify({ fingerprint: current })}\n`);
}
