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
  idleTimer?: NodeJS.Timeout;
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
    const previous = this.queues.get(reader) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.runExclusive(reader, operation));
    const tail = run.catch(() => undefined);
    this.queues.set(reader, tail);
    void tail.then(() => {
      if (this.queues.get(reader) === tail) this.queues.delete(reader);
    });
    return run;
  }

  /** Closes every open channel (host shutdown). */
  async close(): Promise<void> {
    for (const [reader, open] of [...this.channels]) this.forget(reader, open);
    await Promise.all(this.closing.values());
  }

  private async runExclusive<T>(reader: string, operation: (session: CardSession) => Promise<T>): Promise<T> {
    // A request that arrives while the host is still starting waits for the first reader picture.
    await this.monitor.ready();
    const snapshot = this.requireCard(reader);
    const open = await this.channelFor(snapshot);
    clearTimeout(open.idleTimer);
    const session: CardSession = {
      reader,
      atr: snapshot.atr ?? Buffer.alloc(0),
      transmit: (apdu) => this.transmit(snapshot, open, apdu),
    };
    try {
      return await operation(session);
    } finally {
      if (this.channels.get(reader) === open) {
        open.idleTimer = setTimeout(() => {
          if (this.channels.get(reader) === open) this.forget(reader, open);
        }, this.idleDisconnectMs);
        open.idleTimer.unref();
      }
    }
  }

  private requireCard(reader: string): ReaderSnapshot {
    const status = this.monitor.snapshot();
    if (!status.available) throw new HostError('ERR_PCSC_UNAVAILABLE', status.error);
    const snapshot = this.monitor.reader(reader);
    if (!snapshot) throw new HostError('ERR_READER_NOT_FOUND', `no reader named ${JSON.stringify(reader)}`);
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
    const open: OpenChannel = { channel, generation: snapshot.generation };
    this.channels.set(snapshot.name, open);
    return open;
  }

  private async transmit(snapshot: ReaderSnapshot, open: OpenChannel, apdu: Buffer): Promise<Buffer> {
    if (this.monitor.reader(snapshot.name)?.generation !== snapshot.generation) {
      this.forget(snapshot.name, open);
      throw new HostError('ERR_CARD_REMOVED', 'card changed during the operation');
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new HostError('ERR_TIMEOUT', `card did not answer within ${this.apduTimeoutMs} ms`)),
        this.apduTimeoutMs,
      );
    });
    try {
      const response = await Promise.race([open.channel.transmit(apdu), timeout]);
      // vpcd (and some readers) answer a card pulled mid-command with an empty response, not an error.
      if (response.length < 2) throw new Error(`truncated response (${response.length} bytes)`);
      return response;
    } catch (error) {
      this.forget(snapshot.name, open);
      if (error instanceof HostError) throw error;
      throw await this.explainTransmitError(error, snapshot);
    } finally {
      clearTimeout(timer);
    }
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
