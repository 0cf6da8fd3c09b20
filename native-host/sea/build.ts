/**
 * Builds dist/host/cardbridge-host: one executable (Node SEA) made from the official Node binary of
 * a supported LTS line (taken from npm, see targets.ts), carrying the bundled host and koffi's
 * native file as an asset. `pkg` cannot work offline (it downloads Node builds) and is archived.
 *   tsx native-host/sea/build.ts [--target win-x64]
 * Another OS's binary (dist/host/cardbridge-host.exe) is cross-built: see crossBuild.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { stripAuthenticode } from './authenticode.ts';
import { blobMaker, cross, parseTargetName } from './crossBuild.ts';
import { SEA_TARGETS, hostTarget } from './targets.ts';
import { koffiNative, nodeBinary } from './toolchain.ts';

const root = path.resolve(import.meta.dirname, '../..');
const out = path.join(root, 'dist/host');
const { values: args } = parseArgs({ options: { target: { type: 'string' } }, strict: true });
const targetName = args.target === undefined ? hostTarget() : parseTargetName(args.target);
const target = SEA_TARGETS[targetName];
const isCross = cross(targetName);
// One work folder per target: the Windows test builds while a Linux build may run.
const work = path.join(root, 'dist', isCross ? `host-build-${targetName}` : 'host-build');
const binary = path.join(out, target.binary);
const require = createRequire(import.meta.url);
const shim = path.join(import.meta.dirname, 'bindingsShim.cjs');
const node = nodeBinary(root, target);
const blobNode = isCross ? nodeBinary(root, blobMaker(target)) : node;
const nodeMajor = target.node.version.split('.')[0]!;

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
mkdirSync(out, { recursive: true });

/** Source modules the single executable replaces: koffi comes from the asset; addons built for
 * another Node are left out, and choosing them says so. */
const replaced: Array<[RegExp, string]> = [
  [
    /ffi[\\/]loadKoffi\.ts$/,
    `export function loadKoffi() { return require(${JSON.stringify(shim)})('koffi.node'); }`,
  ],
  [
    /pcsc[\\/]loadBinding\.ts$/,
    "export function loadPcsclite() { throw new Error('the pcsclite backend is not part of this build: use CARDBRIDGE_PCSC_BACKEND=koffi'); }",
  ],
  [
    /pkcs11[\\/]graphenePkcs11\.ts$/,
    "export function openGraphenePkcs11() { throw new Error('the graphene binding is not part of this build: use CARDBRIDGE_PKCS11_BINDING=koffi'); }",
  ],
];

await build({
  entryPoints: [path.join(root, 'native-host/src/main.ts')],
  bundle: true,
  platform: 'node',
  target: `node${nodeMajor}`,
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  outfile: path.join(work, 'host.cjs'),
  plugins: [
    {
      name: 'sea-natives',
      setup(b) {
        for (const [filter, contents] of replaced) b.onLoad({ filter }, () => ({ contents, loader: 'ts' }));
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
    useCodeCache: !isCross,
    assets: { 'koffi.node': koffiNative(root, target) },
  }),
);
// The blob (and its code cache) must come from the very Node binary it goes into, or for another OS
// from the same Node version (crossBuild.ts).
execFileSync(blobNode, ['--experimental-sea-config', path.join(work, 'sea-config.json')], {
  stdio: 'inherit',
});
rmSync(binary, { force: true });
if (targetName.startsWith('win')) writeFileSync(binary, stripAuthenticode(readFileSync(node)));
else copyFileSync(node, binary);
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
    ...(targetName.startsWith('darwin') ? ['--macho-segment-name', 'NODE_SEA'] : []),
  ],
  { encoding: 'utf8' },
);
if (injected.status !== 0) {
  process.stderr.write(injected.stdout + injected.stderr);
  throw new Error(`postject failed with exit ${injected.status}`);
}
rmSync(work, { recursive: true, force: true });
console.log(
  `built ${path.relative(root, binary)} on Node ${target.node.version} (${(statSync(binary).size / 1e6).toFixed(1)} MB)`,
);
