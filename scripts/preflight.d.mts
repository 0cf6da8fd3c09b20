// Types of preflight.mjs for the TypeScript that tests it.
export const root: string;
export class PreflightError extends Error {}
export function checkNode(): void;
export function ensureSystemPackages(): void;
export function nodeModulesMatchLock(dir?: string): boolean;
export function ensureNodeModules(): void;
export function run(command: string, args: string[], options?: object): number;
export function preflight(): void;
