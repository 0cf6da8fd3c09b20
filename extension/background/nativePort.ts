/**
 * The one connection to the native host: connects on demand, checks the host with `version`,
 * matches replies to requests by id, times requests out, forwards host events, reconnects after the
 * host exits, and disconnects when nothing has needed it for a while. A small state machine, so that
 * each failure can be told apart for the clerk: not installed, failing to start, incompatible.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import {
  HOST_COMMANDS,
  HOST_EVENTS,
  isHostEventName,
  type CommandArgs,
  type CommandResult,
  type HostCommandName,
  type HostEvent,
} from '../../shared/protocol/commands.ts';
import type { ErrorCode } from '../../shared/protocol/errors.ts';
import { ErrorBodySchema, EventSchema } from '../../shared/protocol/messages.ts';
import { NATIVE_HOST_NAME, PROTOCOL_VERSION } from '../../shared/protocol/version.ts';

export interface NativePortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: (port: NativePortLike) => void): void };
}

export type ConnectNative = (host: string) => NativePortLike;

/** What listeners hear: the host's events (checked against their schemas), and the port closing. */
export type PortEvent = HostEvent | { event: 'host-disconnected'; data: { code: ErrorCode } };

/** The arguments and timeout of a request; the arguments may be left out when none are required. */
type RequestTail<N extends HostCommandName> =
  object extends CommandArgs<N>
    ? [args?: CommandArgs<N>, timeoutMs?: number]
    : [args: CommandArgs<N>, timeoutMs?: number];

export interface NativePortOptions {
  connect: ConnectNative;
  /** Reads the reason the browser gives for a closed port (runtime.lastError or the port's error). */
  lastError: (port: NativePortLike) => string | undefined;
  minHostVersion: string;
  handshakeTimeoutMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
}

type State = 'idle' | 'connecting' | 'ready';

interface Pending {
  command: HostCommandName;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export type HostInfo = CommandResult<'version'>;

/**
 * Compares versions the semver way: numeric dotted core (1.10.0 > 1.9.3), a pre-release below its
 * release (0.2.0-beta.1 < 0.2.0), build metadata (+…) ignored.
 */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('+')[0]!.split(/-(.*)/s);
    return { core: core.split('.').map((x) => parseInt(x, 10) || 0), pre };
  };
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < Math.max(pa.core.length, pb.core.length); i++) {
    const d = (pa.core[i] ?? 0) - (pb.core[i] ?? 0);
    if (d !== 0) return d;
  }
  if (pa.pre === pb.pre) return 0;
  if (pa.pre === undefined) return 1;
  if (pb.pre === undefined) return -1;
  return pa.pre < pb.pre ? -1 : 1;
}

/**
 * Why a port closed. Browsers word a missing host differently (Chrome: "Specified native messaging
 * host not found.", Firefox: "No such native application …"); anything else — the host exiting or
 * failing to start — means it is installed but not working.
 */
export function classifyDisconnect(reason: string | undefined): ErrorCode {
  const text = (reason ?? '').toLowerCase();
  return /not found|no such native application|not installed|forbidden/.test(text)
    ? 'ERR_HOST_NOT_INSTALLED'
    : 'ERR_HOST_FAILED';
}

export class NativePort {
  private state: State = 'idle';
  private port: NativePortLike | undefined;
  private handshake: Promise<HostInfo> | undefined;
  private host: HostInfo | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly eventListeners = new Set<(event: PortEvent) => void>();
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly handshakeTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: NativePortOptions) {
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 5_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  get connected(): boolean {
    return this.state === 'ready';
  }

  /** The host's version once a handshake succeeded. */
  get hostInfo(): HostInfo | undefined {
    return this.host;
  }

  /** Connects (if needed) and returns the host's version; fails with the reason it cannot. */
  ensureConnected(): Promise<HostInfo> {
    if (this.state !== 'idle' && this.handshake) return this.handshake;
    this.state = 'connecting';
    let port: NativePortLike;
    try {
      port = this.options.connect(NATIVE_HOST_NAME);
    } catch (error) {
      this.state = 'idle';
      return Promise.reject(new CardBridgeError('ERR_HOST_NOT_INSTALLED', String(error)));
    }
    this.port = port;
    port.onMessage.addListener((message) => this.onMessage(message));
    port.onDisconnect.addListener((p) => {
      const reason = this.options.lastError(p);
      this.onDisconnect(port, classifyDisconnect(reason), reason ?? 'the host closed the connection');
    });
    this.handshake = this.send('version', {}, this.handshakeTimeoutMs).then(
      (info) => {
        if (
          info.protocol !== PROTOCOL_VERSION ||
          compareVersions(info.version, this.options.minHostVersion) < 0
        ) {
          if (this.port === port) this.close();
          throw this.incompatible(info.version);
        }
        this.host = { version: info.version, protocol: info.protocol };
        this.state = 'ready';
        if (this.eventListeners.size > 0) this.subscribe();
        this.touch();
        return this.host;
      },
      (error: unknown) => {
        // Close only this handshake's own port: a listener may already have opened a newer one.
        if (this.port === port) this.close();
        // A host that exits before answering is installed but broken; a timeout means the same.
        if (error instanceof CardBridgeError && error.code === 'ERR_TIMEOUT') {
          throw new CardBridgeError('ERR_HOST_FAILED', 'the host did not answer the version handshake');
        }
        // A version answer of another shape (no version string) is a host this extension cannot
        // speak to.
        if (error instanceof CardBridgeError && error.code === 'ERR_INTERNAL') throw this.incompatible(null);
        throw error;
      },
    );
    return this.handshake;
  }

  /**
   * Sends a command of the protocol table to the host; resolves with its result, checked against
   * the table's result schema, or rejects with a CardBridgeError.
   */
  async request<N extends HostCommandName>(
    command: N,
    ...[args, timeoutMs]: RequestTail<N>
  ): Promise<CommandResult<N>> {
    await this.ensureConnected();
    try {
      return await this.send(command, args ?? {}, timeoutMs ?? this.requestTimeoutMs);
    } finally {
      this.touch();
    }
  }

  /** Host events (readers-changed …); while anyone listens, the connection is kept open. */
  onEvent(listener: (event: PortEvent) => void): () => void {
    this.eventListeners.add(listener);
    if (this.state === 'ready' && this.eventListeners.size === 1) this.subscribe();
    return () => {
      this.eventListeners.delete(listener);
      this.touch();
    };
  }

  close(): void {
    const port = this.port;
    this.reset();
    try {
      port?.disconnect();
    } catch {
      // already gone
    }
    this.failPending(new CardBridgeError('ERR_HOST_FAILED', 'connection closed'));
  }

  private incompatible(hostVersion: string | null): CardBridgeError {
    return new CardBridgeError('ERR_HOST_INCOMPATIBLE', `host ${hostVersion ?? 'of another protocol'}`, {
      hostVersion,
      minHostVersion: this.options.minHostVersion,
    });
  }

  private subscribe(): void {
    void this.send('events.subscribe', {}, this.requestTimeoutMs).catch(() => undefined);
  }

  private send<N extends HostCommandName>(
    command: N,
    args: CommandArgs<N>,
    timeoutMs: number,
  ): Promise<CommandResult<N>> {
    const port = this.port;
    if (!port) return Promise.reject(new CardBridgeError('ERR_HOST_FAILED', 'not connected'));
    const id = String(this.nextId++);
    return new Promise<CommandResult<N>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new CardBridgeError('ERR_TIMEOUT', `${command} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      const settle = resolve as (result: unknown) => void;
      this.pending.set(id, { command, resolve: settle, reject, timer });
      const empty = Object.keys(args).length === 0;
      port.postMessage(empty ? { id, command } : { id, command, arguments: args });
    });
  }

  private onMessage(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    if ('event' in message) {
      this.onHostEvent(message);
      return;
    }
    const m = message as { id?: unknown; result?: unknown; error?: unknown };
    if (typeof m.id !== 'string') return; // id null: the host refused a frame it could not parse
    const pending = this.pending.get(m.id);
    if (!pending) return;
    this.pending.delete(m.id);
    clearTimeout(pending.timer);
    if ('error' in m) pending.reject(hostError(pending.command, m.error));
    else if (Value.Check(HOST_COMMANDS[pending.command].result as TSchema, m.result))
      pending.resolve(m.result);
    else pending.reject(malformed(pending.command, 'reply'));
  }

  /** An event outside the event table, or with data that breaks its schema, reaches no listener. */
  private onHostEvent(message: object): void {
    if (!Value.Check(EventSchema, message) || !isHostEventName(message.event)) return;
    if (!Value.Check(HOST_EVENTS[message.event], message.data)) return;
    const event = message as HostEvent;
    for (const listener of this.eventListeners) listener(event);
  }

  private onDisconnect(port: NativePortLike, code: ErrorCode, reason: string): void {
    if (this.port !== port) return;
    this.reset();
    this.failPending(new CardBridgeError(code, reason));
    for (const listener of this.eventListeners) listener({ event: 'host-disconnected', data: { code } });
  }

  private failPending(error: CardBridgeError): void {
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  private reset(): void {
    clearTimeout(this.idleTimer);
    this.state = 'idle';
    this.port = undefined;
    this.handshake = undefined;
  }

  /** Disconnects after a quiet period, unless requests are in flight or someone listens to events. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    if (this.state !== 'ready') return;
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0 && this.eventListeners.size === 0) this.close();
    }, this.idleTimeoutMs);
  }
}

/** A reply or error body that breaks the protocol is the host's fault: ERR_INTERNAL, never passed on. */
function malformed(command: HostCommandName, what: 'reply' | 'error'): CardBridgeError {
  return new CardBridgeError(
    'ERR_INTERNAL',
    `the host's ${what} for ${command} does not match the protocol`,
    {
      command,
    },
  );
}

/** The host's error body, checked: a code outside the documented list becomes ERR_INTERNAL. */
function hostError(command: HostCommandName, body: unknown): CardBridgeError {
  if (!Value.Check(ErrorBodySchema, body)) return malformed(command, 'error');
  return new CardBridgeError(body.code, body.message, body.details);
}
