// Makes a fresh clone ready to build and test: Node version, Debian packages (installed when root,
// otherwise the exact command is printed) and npm packages. Plain Node: it runs before `npm ci`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');

export class PreflightError extends Error {}

function say(message) {
  process.stderr.write(`[cardbridge] ${message}\n`);
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    throw new PreflightError(
      `Node ${process.versions.node} is too old: install Node 20.19 or newer (Node 20 LTS line).`,
    );
  }
}

function missingDebianPackages(packages) {
  return packages.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return r.status !== 0 || !r.stdout.includes('install ok installed');
  });
}

export function ensureSystemPackages() {
  const { debian } = JSON.parse(readFileSync(path.join(root, 'scripts/system-packages.json'), 'utf8'));
  if (process.platform !== 'linux' || !existsSync('/etc/debian_version')) {
    say('not Debian/Ubuntu: make sure pcsc-lite (pcscd, libpcsclite) and vsmartcard-vpcd are installed.');
    return;
  }
  const missing = missingDebianPackages(debian);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new PreflightError(`missing system packages: ${missing.join(' ')}\nRun: sudo sh -c '${command}'`);
  }
  say(`installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
}

/**
 * Does node_modules hold what package-lock.json names? npm records what it installed in
 * node_modules/.package-lock.json; comparing the two by content (not by file times, which a checkout
 * or a copy changes) avoids an `npm ci` when nothing changed. Optional packages for other platforms
 * are absent by design.
 */
export function nodeModulesMatchLock(dir = root) {
  let wanted;
  let installed;
  try {
    wanted = JSON.parse(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')).packages;
    installed = JSON.parse(readFileSync(path.join(dir, 'node_modules/.package-lock.json'), 'utf8')).packages;
  } catch {
    return false;
  }
  for (const [key, entry] of Object.entries(wanted)) {
    if (key === '') continue;
    const present = installed[key];
    if (!present) {
      if (entry.optional || entry.devOptional) continue;
      return false;
    }
    if (present.version !== entry.version) return false;
  }
  return Object.keys(installed).every((key) => key in wanted);
}

export function ensureNodeModules() {
  if (!nodeModulesMatchLock()) {
    say('installing npm packages (npm ci)');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  }
  if (!existsSync(path.join(root, 'node_modules/pcsclite/build/Release/pcsclite.node'))) {
    say('building the pcsclite addon');
    execFileSync('npm', ['rebuild', 'pcsclite'], { cwd: root, stdio: 'inherit' });
  }
}

export function run(command, args, options = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

export function preflight() {
  try {
    checkNode();
    ensureSystemPackages();
    ensureNodeModules();
  } catch (error) {
    say(error instanceof PreflightError ? error.message : `set-up failed: ${error.message}`);
    process.exit(1);
  }
}
