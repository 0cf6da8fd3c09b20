/**
 * The reference portal (portal/src/main.ts) as a child process on a loopback port, configured by its
 * environment as a deployment would be: SQLite file, SMTP, trust directory, SAM master key. Used by
 * `npm start`'s system, the browser tests and the bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { keepArtefactText } from './artefacts.ts';
import { freePort } from './freePort.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface PortalProcessOptions {
  /** Default: a free port. */
  port?: number;
  /** Node options before the entry point (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Also pass the portal's output through to this process's (the demo shows it). */
  echo?: boolean;
  /** How long to wait for /api/health (default 30 s). */
  startTimeoutMs?: number;
}

export interface PortalServer {
  /** http://127.0.0.1:<port>, also the origin tokens and NHI challenges are bound to. */
  origin: string;
  pid: number;
  /** What the portal printed (stdout and stderr), for failure messages. */
  output(): string;
  /** GET or another call of the API with an optional session token; the JSON answer and status. */
  api<T = unknown>(
    method: string,
    route: string,
    options?: { token?: string; body?: unknown },
  ): Promise<{ status: number; body: T }>;
  /** SIGTERM, then waits for the process to exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** Settles when the process has exited, asked to or not (the demo stops when its portal dies). */
  exited: Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

export async function startPortalServer(
  env: Record<string, string>,
  options: PortalProcessOptions = {},
): Promise<PortalServer> {
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const entry = path.join(ROOT, 'portal/src/main.ts');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', entry], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORTAL_PORT: String(port),
      PORTAL_HOST: '127.0.0.1',
      PORTAL_ORIGIN: origin,
      ...env,
    },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (options.echo) process.stderr.write(chunk);
  });
  // The PIN-secrecy check of a test run searches what the portal printed, too.
  child.once('close', () => keepArtefactText('cardbridge-portal-output', output));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited(child);
    clearTimeout(killer);
  };

  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the portal exited (status ${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${origin}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the portal did not answer /api/health within ${startTimeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    origin,
    pid: child.pid!,
    output: () => output,
    async api<T>(method: string, route: string, options: { token?: string; body?: unknown } = {}) {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (options.token) headers.Authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await fetch(`${origin}${route}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      return { status: response.status, body: (await response.json()) as T };
    },
    stop,
    exited: exited(child),
  };
}
