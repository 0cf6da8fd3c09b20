/**
 * Builds dist/host/cardbridge-host: one executable (Node SEA) made from the official Node binary of
 * a supported LTS line (taken from npm, see targets.ts), carrying the bundled host and koffi's
 * native file as an asset. `pkg` cannot work offline (it downloads Node builds) and is archived.
 *   tsx native-host/sea/build.ts [target] [--out <dir>]   (target: this machine's, win-x64, darwin-x64, darwin-arm64)
 * Another OS's binary is cross-built: its blob is made by a Linux Node of the same version (targets.ts).
 * Two builds of one commit give the same bytes (tests/integration/seaBuild.test.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { stripAuthenticode } from './authenticode.ts';
import { removeMachOSignature } from './machoSignature.ts';
import { SEA_TARGETS, hostTarget, seaTarget, type SeaTarget } from './targets.ts';
import { koffiNative, nodeBinary, nodePackageBinary } from './toolchain.ts';
import { encodeFrame } from '../src/messaging/frameEncoder.ts';

const root = path.resolve(import.meta.dirname, '../..');
const args = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true, strict: true });
const out = path.resolve(args.values.out ?? path.join(root, 'dist/host'));
const targetName = args.positionals[0] === undefined ? hostTarget() : seaTarget(args.positionals[0]);
const target: SeaTarget = SEA_TARGETS[targetName];
// One work folder per target: the Windows installer test builds while a Linux build may run.
const work = `${out}-build-${targetName}`;
const binary = path.join(out, target.binary);
const require = createRequire(import.meta.url);
const shim = path.join(import.meta.dirname, 'bindingsShim.cjs');
const node = nodeBinary(root, target);
const blobMaker = target.blobMaker ? nodePackageBinary(root, target.blobMaker) : node;
const nodeMajor = target.node.version.split('.')[0]!;
if (target.blobMaker && target.blobMaker.version !== target.node.version) {
  throw new Error(`${targetName}: the blob must be made by Node ${target.node.version}`);
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
mkdirSync(path.dirname(binary), { recursive: true });

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

asciiOnly(path.join(work, 'host.cjs'));
const codeCache = target.codeCache ?? true;
if (codeCache) {
  // warmStart.cjs runs the bundle with a code cache made after one start-up (see that file).
  copyFileSync(path.join(import.meta.dirname, 'warmStart.cjs'), path.join(work, 'warmStart.cjs'));
  writeFileSync(path.join(work, 'host.cache'), warmCodeCache(blobMaker, work));
}
writeFileSync(
  path.join(work, 'sea-config.json'),
  JSON.stringify({
    // Relative (the blob is made in `work`): the blob keeps these names, and a build folder's path
    // in it would make two checkouts of one commit build different binaries.
    main: codeCache ? 'warmStart.cjs' : 'host.cjs',
    output: 'sea-prep.blob',
    disableExperimentalSEAWarning: true,
    useCodeCache: codeCache,
    assets: {
      'koffi.node': koffiNative(root, target),
      ...(codeCache ? { 'host.cjs': 'host.cjs', 'host.cache': 'host.cache' } : {}),
    },
  }),
);
// The blob (and its code cache) must come from the very Node binary it goes into, or one of the same
// version for another OS. V8's code cache depends on its random hash seed: a fixed --random-seed
// makes it the same on every build, and V8 leaves that flag out of the flag hash it checks when
// loading the cache, so the binary (started without it) still accepts the cache.
execFileSync(blobMaker, ['--random-seed=1', '--experimental-sea-config', 'sea-config.json'], {
  cwd: work,
  stdio: 'inherit',
});
rmSync(binary, { force: true });
if (targetName.startsWith('darwin')) {
  // Injecting breaks Apple's signature; codesign --remove-signature is macOS-only, so done here.
  writeFileSync(binary, removeMachOSignature(readFileSync(node)));
} else if (targetName.startsWith('win')) {
  // Likewise the Authenticode signature (IT signs the result with osslsigncode, installers/README.md).
  writeFileSync(binary, stripAuthenticode(readFileSync(node)));
} else {
  copyFileSync(node, binary);
}
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

/**
 * esbuild escapes non-ASCII characters everywhere but in regular expression literals (the certificate
 * issuers' Chinese names): escaped there too, the bundle is ASCII, which V8 holds in half the memory
 * and scans faster, and which warmStart.cjs reads as latin1 without UTF-8 decoding (both cost ms at
 * every start). `\uXXXX` means the same UTF-16 unit in a pattern, with or without the u flag.
 */
function asciiOnly(file: string): void {
  const source = readFileSync(file, 'utf8');
  const escaped = source.replace(
    /[\u0080-\uffff]/g, // UTF-16 units: a character beyond the BMP becomes its two surrogates
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  writeFileSync(file, escaped);
}

/**
 * Starts the bundle once in `work` (answering one `version` request, with no config, PC/SC or
 * PKCS#11: the same run on every machine) and returns the code cache it leaves. Made three times and
 * the most frequent kept: now and then V8 sets one flag bit differently in a run on a loaded machine,
 * and two builds of one commit must give the same bytes.
 */
function warmCodeCache(node: string, dir: string): Buffer {
  const env = {
    PATH: process.env.PATH ?? '',
    CARDBRIDGE_CONFIG: path.join(dir, 'no-config.json'),
    CARDBRIDGE_LOG_DIR: path.join(dir, 'log'),
    CARDBRIDGE_LOG_LEVEL: 'info',
  };
  const seen = new Map<string, { cache: Buffer; count: number }>();
  for (let i = 0; i < 3; i++) {
    execFileSync(node, ['--random-seed=1', 'warmStart.cjs', 'chrome-extension://build/'], {
      cwd: dir,
      env,
      input: encodeFrame({ id: 'build', command: 'version' }),
      stdio: ['pipe', 'ignore', 'inherit'],
    });
    const cache = readFileSync(path.join(dir, 'host.cache'));
    const key = cache.toString('base64');
    const entry = seen.get(key) ?? { cache, count: 0 };
    entry.count++;
    seen.set(key, entry);
    if (entry.count === 2) return cache;
  }
  return [...seen.values()][0]!.cache;
}

console.log(
  `built ${path.relative(root, binary)} on Node ${target.node.version} (${(statSync(binary).size / 1e6).toFixed(1)} MB)`,
);
