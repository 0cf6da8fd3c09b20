/**
 * Runs a private pcscd for the lab, with its own vpcd readers, and stops exactly what it started.
 *
 * pcscd 1.9 always serves /run/pcscd/pcscd.comm, so the lab starts it in a private mount namespace
 * (as root, or in a user namespace otherwise) with /run/pcscd bound to a folder of its own; clients
 * find it through PCSCLITE_CSOCK_NAME. A system pcscd (real readers) is left alone. Where no
 * namespace can be made, the lab uses the standard socket and refuses to start if a pcscd serves it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
export const SYSTEM_SOCKET = '/run/pcscd/pcscd.comm';

/** One vpcd entry gives two readers, "<name> 00 00" and "<name> 00 01", on port and port + 1. */
export interface LabReaderConfig {
  name: string;
  port: number;
}

export class LabSetupError extends Error {}

export function labPrerequisites(): string[] {
  const missing: string[] = [];
  if (spawnSync('sh', ['-c', 'command -v pcscd'], { stdio: 'ignore' }).status !== 0) missing.push('pcscd');
  if (!existsSync(VPCD_DRIVER)) missing.push('vsmartcard-vpcd');
  return missing;
}

export class LabPcscd {
  readonly dir: string;
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readers: LabReaderConfig[];
  private isolated = false;

  constructor(readers: LabReaderConfig[]) {
    this.readers = readers;
    this.dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-lab-'));
  }

  /** The socket clients must use. */
  get socketPath(): string {
    return this.isolated ? path.join(this.dir, 'run', 'pcscd.comm') : SYSTEM_SOCKET;
  }

  /** Environment for processes that should talk to this pcscd. */
  get env(): Record<string, string> {
    return { PCSCLITE_CSOCK_NAME: this.socketPath };
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(readers: LabReaderConfig[] = this.readers): Promise<void> {
    if (this.child) throw new LabSetupError('lab pcscd already running');
    const missing = labPrerequisites();
    if (missing.length > 0) {
      throw new LabSetupError(
        `missing packages: ${missing.join(' ')} — run: sudo apt-get install ${missing.join(' ')}`,
      );
    }
    this.readers = readers;
    const conf = path.join(this.dir, 'conf');
    const run = path.join(this.dir, 'run');
    rmSync(conf, { recursive: true, force: true });
    mkdirSync(conf, { recursive: true });
    mkdirSync(run, { recursive: true });
    readers.forEach((r, i) => writeFileSync(path.join(conf, `reader${i}`), readerConf(r)));

    const unshare = unshareCommand();
    if (unshare && !existsSync('/run/pcscd')) {
      // The bind target must exist; only root can create it.
      if (process.getuid?.() === 0) mkdirSync('/run/pcscd', { recursive: true });
    }
    this.isolated = unshare !== null && existsSync('/run/pcscd');
    let child: ChildProcess;
    if (this.isolated) {
      const script = `mount --make-rprivate / && mount --bind "${run}" /run/pcscd && exec pcscd -f -c "${conf}"`;
      child = spawn('unshare', [...unshare!, 'sh', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    } else {
      if (await socketAnswers(SYSTEM_SOCKET)) {
        throw new LabSetupError(
          'a pcscd is already running and the lab cannot isolate its own (needs root for unshare)',
        );
      }
      child = spawn('pcscd', ['-f', '-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      if (this.child === child) this.child = undefined;
    });

    const deadline = Date.now() + 5000;
    while (!(await socketAnswers(this.socketPath))) {
      if (!this.child) throw new LabSetupError(`pcscd exited at start: ${stderr.trim()}`);
      if (Date.now() > deadline) {
        await this.stop();
        throw new LabSetupError(`pcscd did not open ${this.socketPath} within 5 s: ${stderr.trim()}`);
      }
      await sleep(25);
    }
    // The vpcd driver opens its ports as pcscd loads the readers.
    for (const r of readers) await waitForPort(r.port, deadline);
  }

  /** Stops the pcscd this lab started (and nothing else). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(killer);
    this.child = undefined;
    rmSync(path.join(this.dir, 'run', 'pcscd.pid'), { force: true });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function readerConf(reader: LabReaderConfig): string {
  const port = `0x${reader.port.toString(16).toUpperCase()}`;
  return `FRIENDLYNAME "${reader.name}"\nDEVICENAME   /dev/null:${port}\nLIBPATH      ${VPCD_DRIVER}\nCHANNELID    ${port}\n`;
}

let unshareArgs: string[] | null | undefined;
/**
 * How to get a private mount namespace: as root `unshare -m`; as another user a user namespace
 * (`unshare -r -m`) where the lab is root of its own mounts. null when neither works here.
 */
function unshareCommand(): string[] | null {
  if (unshareArgs !== undefined) return unshareArgs;
  const candidates = process.getuid?.() === 0 ? [['-m'], ['-r', '-m']] : [['-r', '-m']];
  unshareArgs = null;
  for (const args of candidates) {
    if (spawnSync('unshare', [...args, 'true'], { stdio: 'ignore' }).status === 0) {
      unshareArgs = args;
      break;
    }
  }
  return unshareArgs;
}

function socketAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!existsSync(socketPath)) return resolve(false);
    const socket = net.connect(socketPath);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Waits until something listens on `port`, read from /proc (connecting would look like a card to vpcd). */
async function waitForPort(port: number, deadline: number): Promise<void> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const listening = () =>
    ['/proc/net/tcp', '/proc/net/tcp6'].some((file) => {
      if (!existsSync(file)) return false;
      return readFileSync(file, 'utf8')
        .split('\n')
        .some((line) => {
          const cols = line.trim().split(/\s+/);
          return cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A';
        });
    });
  while (Date.now() < deadline) {
    if (listening()) return;
    await sleep(25);
  }
  throw new LabSetupError(`vpcd did not open port ${port}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Finds `count` consecutive free TCP ports on loopback (vpcd needs port and port + 1 per entry). */
export async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 20000);
    let ok = true;
    for (let p = base; p < base + count && ok; p++) ok = await portFree(p);
    if (ok) return base;
  }
  throw new LabSetupError('no free port range for vpcd');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}
