/**
 * A private PostgreSQL cluster for tests. PORTAL_TEST_DATABASE_URL, when set, is used as is (and
 * never stopped). Otherwise the PostgreSQL binaries (/usr/lib/postgresql/<version>/bin) initialise a
 * cluster in a temporary directory and serve it on a free 127.0.0.1 port (unix socket in that
 * directory). PostgreSQL refuses to run as root: as root the cluster belongs to the `postgres` user
 * (or `nobody`) and its programs run through setpriv. stop() ends exactly the server it started and
 * removes the directory. Without the binaries startPostgres() resolves to undefined; tests then skip
 * with POSTGRES_MISSING_MESSAGE.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './freePort.ts';

export interface PostgresLab {
  url: string;
  stop(): Promise<void>;
}

export const POSTGRES_MISSING_MESSAGE =
  'PostgreSQL is not installed: `apt-get install postgresql` (or set PORTAL_TEST_DATABASE_URL) to run the PostgreSQL variant';

export function findPostgresBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')) && existsSync(join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : undefined;
}

/** uid/gid to run PostgreSQL as when we are root. */
function unprivilegedUser(): { uid: number; gid: number; name: string } {
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid, name };
    } catch {
      // try the next one
    }
  }
  throw new Error('running as root and neither a postgres nor a nobody user exists');
}

export async function startPostgres(): Promise<PostgresLab | undefined> {
  const external = process.env.PORTAL_TEST_DATABASE_URL;
  if (external) return { url: external, stop: () => Promise.resolve() };
  const bin = findPostgresBin();
  if (!bin) return undefined;

  const dir = mkdtempSync(join(tmpdir(), 'cardbridge-pg-'));
  const dataDir = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  let wrap = (command: string, args: string[]): [string, string[]] => [command, args];
  if (asRoot) {
    const user = unprivilegedUser();
    chownSync(dir, user.uid, user.gid);
    wrap = (command, args) => [
      'setpriv',
      [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', command, ...args],
    ];
  }
  const run = (command: string, args: string[]) => {
    const [file, argv] = wrap(command, args);
    execFileSync(file, argv, { stdio: 'pipe', cwd: dir, env: { ...process.env, LC_ALL: 'C' } });
  };

  let child: ChildProcess | undefined;
  const cleanup = () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(join(bin, 'initdb'), [
      '-D',
      dataDir,
      '-U',
      'postgres',
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    const port = await freePort();
    const [file, argv] = wrap(join(bin, 'postgres'), [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dir,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=50',
    ]);
    // setpriv execs postgres in place: the child's pid is the postmaster's.
    child = spawn(file, argv, {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`postgres exited: ${stderr}`);
      const client = new pg.Client({ connectionString: adminUrl });
      try {
        await client.connect();
        await client.query('CREATE DATABASE portal_test');
        await client.end();
        break;
      } catch (error) {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) throw new Error(`postgres did not start: ${String(error)}\n${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const started = child;
    const onExit = () => {
      if (started.exitCode === null) started.kill('SIGKILL');
    };
    process.once('exit', onExit);
    return {
      url: `postgres://postgres@127.0.0.1:${port}/portal_test`,
      async stop() {
        process.off('exit', onExit);
        if (started.exitCode === null && started.signalCode === null) {
          const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
          started.kill('SIGINT'); // fast shutdown
          const timer = setTimeout(() => started.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}
