/**
 * Which host the integration suites drive. By default the built single executable (Node 24 LTS,
 * koffi for PC/SC and PKCS#11). With CARDBRIDGE_TEST_HOST=addons (the `integration-addons` test
 * project), the host source bundled as a plain script for this Node, with the npm addons (pcsclite,
 * graphene over pkcs11js), so every binding this machine can run goes through the same suites.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../../..');
export const HOST_BIN = path.join(root, 'dist/host/cardbridge-host');

export interface HostCommand {
  file: string;
  /** Arguments before the host's own. */
  prefix: string[];
  env: Record<string, string>;
}

let addonsScript: string | undefined;

/** One bundle per test process: starting under tsx would cost seconds per host and per worker. */
function bundleForThisNode(): string {
  if (addonsScript) return addonsScript;
  const outfile = path.join(root, 'dist/host-addons', `host-${process.pid}.cjs`);
  buildSync({
    entryPoints: [path.join(root, 'native-host/src/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external', // the addons load from node_modules, built for this Node
    outfile,
    logLevel: 'error',
    define: { 'import.meta.url': '__filename_url' },
    banner: { js: "const __filename_url = require('node:url').pathToFileURL(__filename).href;" },
  });
  process.once('exit', () => rmSync(outfile, { force: true }));
  return (addonsScript = outfile);
}

export function hostCommand(variant = process.env.CARDBRIDGE_TEST_HOST ?? 'sea'): HostCommand {
  switch (variant) {
    case 'sea':
      return { file: HOST_BIN, prefix: [], env: {} };
    case 'addons':
      return {
        file: process.execPath,
        prefix: [bundleForThisNode()],
        env: { CARDBRIDGE_PCSC_BACKEND: 'pcsclite', CARDBRIDGE_PKCS11_BINDING: 'graphene' },
      };
    default:
      throw new Error(`CARDBRIDGE_TEST_HOST must be sea or addons, not "${variant}"`);
  }
}
