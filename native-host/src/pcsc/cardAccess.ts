/**
 * Runs card operations: one at a time per reader, over a channel kept open between operations
 * (dropped when the card changes or after an idle period), with an APDU timeout, and with PC/SC
 * failures turned into protocol errors (a card pulled mid-operation is ERR_CARD_REMOVED).
 */
import { HostError } from '../hostError.ts';
import type { Logger } from '../log/logger.ts';
import type { CardChannel } from './backend.ts';
import { isServiceLost, toHostError } from './pcscErrors.ts';
import type { ReaderMonitor, ReaderSnapshot } from './readerMonitor.ts';

export interface CardSession {
  readonly reader: string;
  readonly atr: Buffer;
  /** Sends one command APDU and returns the response APDU (data + SW1 SW2). */
  transmit(apdu: Buffer): Promise<Buffer>;
}

export interface CardAccessOptions {
  logger: Logger;
  apduTimeoutMs?: number;
  idleDisconnectMs?: number;
  /** After an unexplained transmit error, how long to wait for the monitor to see a removal. */
  removalGraceMs?: number;
}

interface OpenChannel {
  channel: CardChannel;
  generation: number;
  /** Runs while the channel is open; when it fires, an idle channel is disconnected (see watchIdle). */
  idleTimer?: NodeJS.Timeout;
  /** An operation is using the channel; `lastUsed` is when the last one ended (Date.now()). */
  busy: boolean;
  lastUsed: number;
  /** The APDU timeout: one timer per channel, restarted for each APDU (see answerWithin). */
  apduTimer?: NodeJS.Timeout;
  /** Rejects the APDU in flight, if any, when its time is up. */
  onApduTimeout?: (error: HostError) => void;
  /** Set once the channel is scheduled for disconnect, so it is never disconnected twice. */
  forgotten?: boolean;
}

export class CardAccess {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly channels = new Map<string, OpenChannel>();
  /** Disconnects in flight: a new connect on the same reader waits for them (the binding keeps one handle per reader). */
  private readonly closing = new Map<string, Promise<void>>();
  private readonly apduTimeoutMs: number;
  private readonly idleDisconnectMs: number;
  private readonly removalGraceMs: number;

  constructor(
    private readonly monitor: ReaderMonitor,
    private readonly options: CardAccessOptions,
  ) {
    this.apduTimeoutMs = options.apduTimeoutMs ?? 10_000;
    this.idleDisconnectMs = options.idleDisconnectMs ?? 5_000;
    this.removalGraceMs = options.removalGraceMs ?? 600;
    monitor.on('changed', () => this.dropStaleChannels());
  }

  /** Runs `operation` with exclusive use of the card in `reader`. */
  withCard<T>(reader: string, operation: (session: CardSession) => Promise<T>): Promise<T> {
    // A queue's tail never rejects. With nothing queued (the common case) the operation starts now.
    const previous = this.queues.get(reader);
    const run = previous
      ? previous.then(() => this.runExclusive(reader, operation))
      : this.runExclusive(reader, operation);
    const done = (): void => {
      if (this.queues.get(reader) === tail) this.queues.delete(reader);
    };
    const tail: Promise<void> = run.then(done, done);
    this.queues.set(reader, tail);
    return run;
  }

  /** Closes every open channel (host shutdown). */
  async close(): Promise<void> {
    for (const [reader, open] of [...this.channels]) this.forget(reader, open);
    await Promise.all(this.closing.values());
  }

  private async runExclusive<T>(reader: string, operation: (session: CardSession) => Promise<T>): Promise<T> {
    // A request that arrives while the host is still starting waits for the first reader picture.
    if (!this.monitor.isReady) await this.monitor.ready();
    const snapshot = this.requireCard(reader);
    const cached = this.channels.get(reader);
    const open =
      cached && cached.generation === snapshot.generation ? cached : await this.channelFor(snapshot);
    const session: CardSession = {
      reader,
      atr: snapshot.atr ?? Buffer.alloc(0),
      transmit: (apdu) => this.transmit(snapshot, open, apdu),
    };
    open.busy = true;
    try {
      return await operation(session);
    } finally {
      open.busy = false;
      open.lastUsed = Date.now();
    }
  }

  /** Disconnects the channel once it has been idle for idleDisconnectMs. One timer for the channel's
   * life, re-armed only when it fires early, rather than a new timer after every operation. */
  private watchIdle(reader: string, open: OpenChannel, delay: number): void {
    open.idleTimer = setTimeout(() => {
      if (open.forgotten || this.channels.get(reader) !== open) return;
      const idleFor = Date.now() - open.lastUsed;
      if (!open.busy && idleFor >= this.idleDisconnectMs) this.forget(reader, open);
      else this.watchIdle(reader, open, open.busy ? this.idleDisconnectMs : this.idleDisconnectMs - idleFor);
    }, delay);
    open.idleTimer.unref();
  }

  private requireCard(reader: string): ReaderSnapshot {
    // Not snapshot(): that copies and sorts every reader, on each card operation.
    const unavailable = this.monitor.unavailableReason;
    if (unavailable !== undefined) throw new HostError('ERR_PCSC_UNAVAILABLE', unavailable);
    const snapshot = this.monitor.reader(reader);
    // The asked-for name is not repeated: it comes from the request, and the error is logged.
    if (!snapshot) throw new HostError('ERR_READER_NOT_FOUND', 'no reader of that name');
    if (!snapshot.present) throw new HostError('ERR_NO_CARD', `no card in ${reader}`);
    return snapshot;
  }

  private async channelFor(snapshot: ReaderSnapshot): Promise<OpenChannel> {
    const cached = this.channels.get(snapshot.name);
    if (cached && cached.generation === snapshot.generation) return cached;
    if (cached) this.forget(snapshot.name, cached);
    await this.closing.get(snapshot.name);
    let channel: CardChannel;
    try {
      channel = await this.monitor.connect(snapshot.name);
    } catch (error) {
      throw this.fromPcscError(error, snapshot, false);
    }
    const open: OpenChannel = { channel, generation: snapshot.generation, busy: false, lastUsed: Date.now() };
    this.channels.set(snapshot.name, open);
    this.watchIdle(snapshot.name, open, this.idleDisconnectMs);
    return open;
  }

  private async transmit(snapshot: ReaderSnapshot, open: OpenChannel, apdu: Buffer): Promise<Buffer> {
    if (this.monitor.reader(snapshot.name)?.generation !== snapshot.generation) {
      this.forget(snapshot.name, open);
      throw new HostError('ERR_CARD_REMOVED', 'card changed during the operation');
    }
    try {
      const response = await this.answerWithin(open, apdu);
      // vpcd (and some readers) answer a card pulled mid-command with an empty response, not an error.
      if (response.length < 2) throw new Error(`truncated response (${response.length} bytes)`);
      return response;
    } catch (error) {
      this.forget(snapshot.name, open);
      if (error instanceof HostError) throw error;
      throw await this.explainTransmitError(error, snapshot);
    }
  }

  /** The card's answer, or ERR_TIMEOUT after apduTimeoutMs. The channel's one timer is restarted
   * (refresh) for each APDU: a new timer and a Promise.race per APDU showed in profiles. */
  private answerWithin(open: OpenChannel, apdu: Buffer): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      open.onApduTimeout = reject;
      if (open.apduTimer) open.apduTimer.refresh();
      else {
        open.apduTimer = setTimeout(() => {
          const expire = open.onApduTimeout;
          open.onApduTimeout = undefined;
          expire?.(this.timeoutError());
        }, this.apduTimeoutMs);
        // The call in flight keeps the host running; the timer alone must not.
        open.apduTimer.unref();
      }
      const settled = (): void => {
        if (open.onApduTimeout === reject) open.onApduTimeout = undefined;
        if (open.forgotten) clearTimeout(open.apduTimer);
      };
      open.channel.transmit(apdu).then(
        (response) => {
          settled();
          resolve(response);
        },
        (error: Error) => {
          settled();
          reject(error); // passed on as the binding gave it (mapped in transmit)
        },
      );
    });
  }

  private timeoutError(): HostError {
    return new HostError('ERR_TIMEOUT', `card did not answer within ${this.apduTimeoutMs} ms`);
  }

  /** A failed transmit is most often a card pulled out: wait briefly for the monitor to confirm. */
  private async explainTransmitError(error: unknown, snapshot: ReaderSnapshot): Promise<HostError> {
    const mapped = this.fromPcscError(error, snapshot, true);
    if (mapped.code !== 'ERR_CARD_IO') return mapped;
    const deadline = Date.now() + this.removalGraceMs;
    while (Date.now() < deadline) {
      if (this.monitor.reader(snapshot.name)?.generation !== snapshot.generation) {
        return new HostError('ERR_CARD_REMOVED', mapped.reason, mapped.details);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return mapped;
  }

  private fromPcscError(error: unknown, snapshot: ReaderSnapshot, midOperation: boolean): HostError {
    const mapped = toHostError(error);
    if (isServiceLost(error))
      this.monitor.reportServiceLost(error instanceof Error ? error : new Error(String(error)));
    // Once an operation has started, a card that is no longer there was removed.
    if (midOperation && (mapped.code === 'ERR_NO_CARD' || mapped.code === 'ERR_READER_NOT_FOUND')) {
      return new HostError('ERR_CARD_REMOVED', mapped.reason, mapped.details);
    }
    if (!midOperation && mapped.code === 'ERR_CARD_REMOVED' && !this.monitor.reader(snapshot.name)?.present) {
      return new HostError('ERR_NO_CARD', mapped.reason, mapped.details);
    }
    this.options.logger.debug('pcsc', `card error on ${snapshot.name}: ${mapped.reason ?? mapped.code}`);
    return mapped;
  }

  private forget(reader: string, open: OpenChannel): void {
    if (open.forgotten) return;
    open.forgotten = true;
    clearTimeout(open.idleTimer);
    // An APDU still in flight (a card pulled mid-command) keeps its timeout: the call may never return.
    if (!open.onApduTimeout) clearTimeout(open.apduTimer);
    if (this.channels.get(reader) === open) this.channels.delete(reader);
    const previous = this.closing.get(reader) ?? Promise.resolve();
    const done = previous.then(() => this.closeChannel(open));
    this.closing.set(reader, done);
    void done.then(() => {
      if (this.closing.get(reader) === done) this.closing.delete(reader);
    });
  }

  private dropStaleChannels(): void {
    for (const [reader, open] of this.channels) {
      if (this.monitor.reader(reader)?.generation !== open.generation) this.forget(reader, open);
    }
  }

  private async closeChannel(open: OpenChannel): Promise<void> {
    clearTimeout(open.idleTimer);
    try {
      await open.channel.disconnect();
    } catch {
      // the card or the service is already gone
    }
  }
}
