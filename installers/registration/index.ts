/** Host registration with the browsers: one module for the CLI, the packages, the demo and the tests. */
export * from './browsers.ts';
export * from './locations.ts';
export * from './manifest.ts';
export * from './manifestStore.ts';
export * from './registrar.ts';
export * from './registrationError.ts';
export * from './targets.ts';
export * from './windowsRegistry.ts';
export * from './sandboxed.ts';
export * from './survey.ts';
