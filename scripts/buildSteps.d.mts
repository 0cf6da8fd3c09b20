// Types of buildSteps.mjs for the TypeScript that tests it.
export interface BuildStep {
  name: string;
  label: { zh: string; en: string };
  script: string;
  inputs: string[];
  outputs: string[];
}
export type BuildReason = 'missing-output' | 'changed' | 'up-to-date';
export const BUILD_STEPS: BuildStep[];
export function fingerprint(root: string, inputs: readonly string[]): string;
export function stampPath(root: string, step: BuildStep): string;
export function buildDecision(root: string, step: BuildStep): { reason: BuildReason; fingerprint: string };
export function clearStamp(root: string, step: BuildStep): void;
export function writeStamp(root: string, step: BuildStep, fingerprint: string): void;
