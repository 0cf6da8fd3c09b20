/**
 * The host's side of a PKCS#11 worker: starts the child (this same executable with a flag), sends
 * requests over IPC, times them out, and treats a worker that dies as a token that went away.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { HostError } from '../../hostError.ts';
import type { Logger } from '../../log/logger.ts';
import type { SignInput, TokenCertificate, TokenInfo, TokenProvider } from '../types.ts';
import { TOKEN_FLAG } from './ckr.ts';
import { WORKER_FLAG, type WorkerRequest, type WorkerResponse, type WorkerSlot } from './workerProtocol.ts';

export interface WorkerClientOptions {
  logger: Logger;
  /** Listing must be quick; signing may wait for a PIN typed on a PIN-pad. */
  listTimeoutMs?: number;
  signTimeoutMs?: number;
  /** How to start a worker; defaults to this executable (or this script under Node) with WORKER_FLAG. */
  command?: () => { file: string; args: string[] };
}

type WorkerSuccess = Extract<WorkerResponse, { ok: true }>;
type Pending = { resolve: (r: WorkerSuccess) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** This executable as a worker: a single-executable build runs itself, `node script` runs the script. */
export function defaultWorkerCommand(): { file: string; args: string[] } {
  const script = process.argv[1];
  const isScript = script !== undefined && /\.(c|m)?[jt]s$/.test(script);
  return isScript
    ? { file: process.execPath, args: [...process.execArgv, script, WORKER_FLAG] }
    : { file: process.execPath, args: [WORKER_FLAG] };
}

export class Pkcs11WorkerClient implements TokenProvider {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  /** The child once it said it is ready: requests to it need not wait on `ready` (a microtask hop). */
  private readyChild: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly listTimeoutMs: number;
  private readonly signTimeoutMs: number;

  constructor(
    readonly source: string,
    private readonly options: WorkerClientOptions,
  ) {
    this.listTimeoutMs = options.listTimeoutMs ?? 10_000;
    this.signTimeoutMs = options.signTimeoutMs ?? 130_000;
  }

  async list(): Promise<{ tokens: TokenInfo[]; certificates: TokenCertificate[] }> {
    const response = await this.request({ op: 'list' }, this.listTimeoutMs);
    const tokens: TokenInfo[] = [];
    const certificates: TokenCertificate[] = [];
    for (const slot of response.slots ?? []) {
      const token = this.toTokenInfo(slot);
      tokens.push(token);
      for (const c of slot.certificates) {
        certificates.push({
          token,
          certificate: Buffer.from(c.der, 'base64'),
          keyId: c.keyId,
          hasPrivateKey: c.hasPrivateKey,
        });
      }
    }
    return { tokens, certificates };
  }

  async sign(token: TokenInfo, keyId: string, pin: string | undefined, input: SignInput): Promise<Buffer> {
    const response = await this.request(
      {
        op: 'sign',
        serial: token.serial,
        keyId,
        pin: pin ?? null,
        input: { scheme: input.scheme, hash: input.hash, digest: input.digest.toString('base64') },
      },
      this.signTimeoutMs,
    );
    return Buffer.from(response.signature ?? '', 'base64');
  }

  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.disconnect?.();
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    });
  }

  private toTokenInfo(slot: WorkerSlot): TokenInfo {
    const info: TokenInfo = {
      kind: 'pkcs11',
      source: this.source,
      label: slot.label,
      serial: slot.serial,
      manufacturer: slot.manufacturer,
      model: slot.model,
      pinpad: (slot.flags & TOKEN_FLAG.PROTECTED_AUTHENTICATION_PATH) !== 0,
    };
    if (slot.slotDescription) info.slotDescription = slot.slotDescription;
    return info;
  }

  private start(): Promise<void> {
    if (this.ready && this.child && this.child.exitCode === null) return this.ready;
    const { file, args } = (this.options.command ?? defaultWorkerCommand)();
    const child = spawn(file, [...args, this.source], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    this.child = child;
    let failStart: (error: Error) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => {
      failStart = reject;
      const onFirst = (message: WorkerResponse) => {
        if ('ready' in message) {
          child.off('message', onFirst);
          if (message.ready) {
            this.readyChild = child;
            resolve();
          } else reject(new HostError(message.failure.code, message.failure.reason, { module: this.source }));
        }
      };
      child.on('message', onFirst);
      child.once('exit', (code, signal) =>
        reject(
          new HostError('ERR_TOKEN_UNAVAILABLE', `worker for ${this.source} exited (${signal ?? code})`),
        ),
      );
    });
    child.on('message', (message: WorkerResponse) => {
      if (!('id' in message)) return;
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      // Settled here, so the caller's await is the only hop between the answer and the command.
      if (message.ok === true) pending.resolve(message);
      else if (message.ok === false && message.failure)
        pending.reject(new HostError(message.failure.code, message.failure.reason, message.failure.details));
      else pending.reject(new HostError('ERR_INTERNAL', 'unexpected worker answer'));
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) {
        this.child = undefined;
        this.ready = undefined;
      }
      if (code !== 0 || signal)
        this.options.logger.warn('tokens', `PKCS#11 worker for ${this.source} ended (${signal ?? code})`);
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        clearTimeout(pending.timer);
        pending.reject(
          new HostError('ERR_TOKEN_UNAVAILABLE', `PKCS#11 module ${this.source} stopped (${signal ?? code})`),
        );
      }
    });
    // A worker that cannot be spawned, or never says it is ready (a module whose C_Initialize
    // hangs), must not leave requests waiting forever.
    const startTimer = setTimeout(() => {
      this.forget(child);
      child.kill('SIGKILL');
    }, this.listTimeoutMs);
    void this.ready.then(
      () => clearTimeout(startTimer),
      () => clearTimeout(startTimer),
    );
    child.on('error', (error) => {
      this.forget(child);
      failStart(
        new HostError('ERR_TOKEN_UNAVAILABLE', `cannot start a worker for ${this.source}: ${error.message}`),
      );
    });
    return this.ready;
  }

  private forget(child: ChildProcess): void {
    if (this.child === child) {
      this.child = undefined;
      this.ready = undefined;
    }
  }

  private request(body: DistributiveOmit<WorkerRequest, 'id'>, timeoutMs: number): Promise<WorkerSuccess> {
    const ready = this.readyChild;
    if (ready && ready === this.child && ready.exitCode === null) return this.ask(ready, body, timeoutMs);
    return this.start().then(() => {
      const child = this.child;
      if (!child)
        throw new HostError('ERR_TOKEN_UNAVAILABLE', `PKCS#11 module ${this.source} is not running`);
      return this.ask(child, body, timeoutMs);
    });
  }

  private ask(
    child: ChildProcess,
    body: DistributiveOmit<WorkerRequest, 'id'>,
    timeoutMs: number,
  ): Promise<WorkerSuccess> {
    const id = this.nextId++;
    return new Promise<WorkerSuccess>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        // A module that hangs is as good as gone: end the worker and forget it at once, so the
        // next call starts a fresh one instead of reaching the dying process.
        this.forget(child);
        child.kill('SIGKILL');
        reject(
          new HostError('ERR_TIMEOUT', `PKCS#11 module ${this.source} did not answer in ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      child.send({ ...body, id });
    });
  }
}
