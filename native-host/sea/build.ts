/**
 * Builds dist/host/cardbridge-host: one executable (Node SEA) carrying the bundled host and the
 * pcsclite addon as an asset. `pkg` cannot work offline (it downloads Node builds) and is archived.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../..');
const out = path.join(root, 'dist/host');
const work = path.join(root, 'dist/host-build');
const binary = path.join(out, process.platform === 'win32' ? 'cardbridge-host.exe' : 'cardbridge-host');
const require = createRequire(import.meta.url);
const addonPath = (pkg: string, file: string) =>
  path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'build/Release', file);
/** Native addons carried as SEA assets, by file name. */
const addons = {
  'pcsclite.node': addonPath('pcsclite', 'pcsclite.node'),
  'pkcs11.node': addonPath('pkcs11js', 'pkcs11.node'),
};
const shim = path.join(import.meta.dirname, 'bindingsShim.cjs');

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [path.join(root, 'native-host/src/main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  outfile: path.join(work, 'host.cjs'),
  plugins: [
    {
      name: 'sea-natives',
      setup(b) {
        // pcsclite loads its addon through `bindings`: serve it from the SEA asset instead.
        b.onResolve({ filter: /^bindings$/ }, () => ({ path: shim }));
        // pkcs11js requires its addon by relative path: load that from the SEA asset too.
        b.onResolve({ filter: /\.node$/ }, (args) => ({
          path: path.basename(args.path),
          namespace: 'sea-addon',
        }));
        b.onLoad({ filter: /.*/, namespace: 'sea-addon' }, (args) => ({
          contents: `module.exports = require(${JSON.stringify(shim)})(${JSON.stringify(args.path)});`,
          loader: 'js',
          resolveDir: import.meta.dirname,
        }));
        // The source loads pcsclite lazily with createRequire(import.meta.url), which a CJS bundle
        // cannot follow: swap in a plain require() the bundler resolves.
        b.onLoad({ filter: /pcsc[\\/]loadBinding\.ts$/ }, () => ({
          contents: "export function loadPcsclite() { return require('pcsclite'); }",
          loader: 'ts',
        }));
      },
    },
  ],
});

writeFileSync(
  path.join(work, 'sea-config.json'),
  JSON.stringify({
    main: path.join(work, 'host.cjs'),
    output: path.join(work, 'sea-prep.blob'),
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: addons,
  }),
);
execFileSync(process.execPath, ['--experimental-sea-config', path.join(work, 'sea-config.json')], {
  stdio: 'inherit',
});
rmSync(binary, { force: true });
copyFileSync(process.execPath, binary);
chmodSync(binary, 0o755);
const postject = path.join(path.dirname(require.resolve('postject/package.json')), 'dist/cli.js');
// postject prints harmless ELF note warnings; show its output only when it fails.
const injected = spawnSync(
  process.execPath,
  [
    postject,
    binary,
    'NODE_SEA_BLOB',
    path.join(work, 'sea-prep.blob'),
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ...(process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : []),
  ],
  { encoding: 'utf8' },
);
if (injected.status !== 0) {
  process.stderr.write(injected.stdout + injected.stderr);
  throw new Error(`postject failed with exit ${injected.status}`);
}
rmSync(work, { recursive: true, force: true });
console.log(`built ${path.relative(root, binary)} (${(statSync(binary).size / 1e6).toFixed(1)} MB)`);
