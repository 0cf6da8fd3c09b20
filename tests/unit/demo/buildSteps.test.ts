import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  BUILD_STEPS,
  buildDecision,
  clearStamp,
  writeStamp,
  type BuildStep,
} from '../../../scripts/buildSteps.mjs';

const step: BuildStep = {
  name: 'host',
  label: { zh: '主機程式', en: 'the host' },
  script: 'build:host',
  inputs: ['src', 'package.json'],
  outputs: ['dist/host/bin'],
};

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'cardbridge-build-steps-'));
  mkdirSync(path.join(root, 'src/deep'), { recursive: true });
  writeFileSync(path.join(root, 'src/deep/a.ts'), 'export const a = 1;\n');
  writeFileSync(path.join(root, 'package.json'), '{}\n');
  mkdirSync(path.join(root, 'dist/host'), { recursive: true });
  writeFileSync(path.join(root, 'dist/host/bin'), 'built');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Builds (as far as the stamp goes) and says what the next start would decide. */
function stampNow(): void {
  writeStamp(root, step, buildDecision(root, step).fingerprint);
}

describe("npm start's build steps", () => {
  it('builds a step that was never stamped', () => {
    expect(buildDecision(root, step).reason).toBe('changed');
  });

  it('skips a step whose inputs are as at its last build', () => {
    stampNow();
    expect(buildDecision(root, step).reason).toBe('up-to-date');
  });

  it('skips when a file was only touched, not changed', () => {
    stampNow();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'src/deep/a.ts'), later, later);
    expect(buildDecision(root, step).reason).toBe('up-to-date');
  });

  it('builds again when an input file changes, is added or is removed', () => {
    stampNow();
    writeFileSync(path.join(root, 'src/deep/a.ts'), 'export const a = 2;\n');
    expect(buildDecision(root, step).reason).toBe('changed');
    stampNow();
    writeFileSync(path.join(root, 'src/b.ts'), '');
    expect(buildDecision(root, step).reason).toBe('changed');
    stampNow();
    rmSync(path.join(root, 'src/b.ts'));
    expect(buildDecision(root, step).reason).toBe('changed');
  });

  it('builds again when an output is missing, even with the inputs unchanged', () => {
    stampNow();
    rmSync(path.join(root, 'dist/host/bin'));
    expect(buildDecision(root, step).reason).toBe('missing-output');
  });

  it('builds again after a build whose stamp was cleared (failed or cut short)', () => {
    stampNow();
    clearStamp(root, step);
    expect(buildDecision(root, step).reason).toBe('changed');
  });

  it('names only inputs that exist in this repository, for every real step', () => {
    const repo = path.resolve(import.meta.dirname, '../../..');
    const missing = BUILD_STEPS.flatMap((real) =>
      real.inputs
        .filter((input) => !existsSync(path.join(repo, input)))
        .map((input) => `${real.name}: ${input}`),
    );
    expect(missing).toEqual([]);
  });
});
