/**
 * Keeps the live picture of the PC/SC service, its readers and their cards, and restarts the
 * backend with back-off whenever the service is missing or goes away (Windows stops the Smart Card
 * service when the last reader is unplugged; pcscd may be started after the host).
 */
import { EventEmitter } from 'node:events';
import type { CardChannel, PcscBackend, PcscBackendFactory, ReaderState } from './backend.ts';
import { HostError } from '../hostError.ts';
import type { Logger } from '../log/logger.ts';

export interface ReaderSnapshot {
  name: string;
  present: boolean;
  atr?: Buffer;
  /** Increases on every card change in this reader, so caches keyed on it go stale. */
  generation: number;
}

export interface MonitorSnapshot {
  available: boolean;
  error?: string;
  readers: ReaderSnapshot[];
}

export interface ReaderMonitorOptions {
  logger: Logger;
  /** First retry delay after a failure; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long `ready()` waits for the first full picture of the readers. */
  settleMs?: number;
}

type Events = { changed: [MonitorSnapshot] };

export class ReaderMonitor extends EventEmitter<Events> {
  private backend: PcscBackend | undefined;
  private available = false;
  private error: string | undefined = 'not started';
  private readonly readers = new Map<string, ReaderSnapshot>();
  /** Readers added whose first state has not arrived yet. */
  private readonly unsettled = new Set<string>();
  private backoffMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private emitScheduled = false;
  private running = false;
  private settled = false;
  private settleWaiters: Array<() => void> = [];
  private generationCounter = 0;
  private revisionCounter = 0;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly settleMs: number;
  private readonly logger: Logger;

  constructor(
    private readonly createBackend: PcscBackendFactory,
    options: ReaderMonitorOptions,
  ) {
    super();
    this.logger = options.logger;
    this.minBackoffMs = options.minBackoffMs ?? 200;
    this.maxBackoffMs = options.maxBackoffMs ?? 1000;
    this.settleMs = options.settleMs ?? 1500;
    this.backoffMs = this.minBackoffMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.backend?.stop();
    this.backend = undefined;
    this.markSettled();
  }

  snapshot(): MonitorSnapshot {
    const readers = [...this.readers.values()]
      .map((r) => ({ ...r }))
      // By code unit, not localeCompare: that loads ICU's collation data (megabytes of the binary).
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.available ? { available: true, readers } : { available: false, error: this.error, readers };
  }

  reader(name: string): ReaderSnapshot | undefined {
    return this.readers.get(name);
  }

  /** Why the PC/SC service cannot be used, or undefined while it can: no copy of the readers. */
  get unavailableReason(): string | undefined {
    return this.available ? undefined : (this.error ?? 'unknown');
  }

  /** Whether the first picture is complete: callers skip awaiting ready() (a promise hop) then. */
  get isReady(): boolean {
    return this.settled;
  }

  /** Resolves once the first picture is complete (or the service is known to be missing). */
  ready(): Promise<void> {
    if (this.settled) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  /** Opens a channel to the card in `reader` through the current backend. */
  connect(reader: string): Promise<CardChannel> {
    if (!this.backend || !this.available) {
      return Promise.reject(new HostError('ERR_PCSC_UNAVAILABLE', this.error ?? 'PC/SC not available'));
    }
    return this.backend.connect(reader);
  }

  /** Called by card operations that found the service gone: restart now instead of waiting. */
  reportServiceLost(error: Error): void {
    if (this.backend && this.available) this.fail(error);
  }

  private attempt(): void {
    if (!this.running) return;
    const backend = this.createBackend();
    this.backend = backend;
    try {
      backend.start({
        readerAdded: (name) => this.onReaderAdded(backend, name),
        readerRemoved: (name) => this.onReaderRemoved(backend, name),
        readerState: (name, state) => this.onReaderState(backend, name, state),
        failed: (error) => {
          if (this.backend === backend) this.fail(error);
        },
      });
    } catch (error) {
      this.backend = undefined;
      backend.stop();
      this.setUnavailable(error instanceof Error ? error.message : String(error));
      this.markSettled();
      this.scheduleRetry();
      return;
    }
    // The backend may have failed while starting: fail() has already scheduled the next attempt.
    if (this.backend !== backend) {
      this.markSettled();
      return;
    }
    if (!this.available) this.logger.info('pcsc', 'PC/SC service available');
    this.available = true;
    this.error = undefined;
    this.backoffMs = this.minBackoffMs;
    this.scheduleEmit();
    // Readers arrive asynchronously; give up waiting for a complete picture after settleMs.
    setTimeout(() => this.markSettled(), this.settleMs).unref();
    setTimeout(() => {
      if (this.unsettled.size === 0) this.markSettled();
    }, 100).unref();
  }

  private fail(error: Error): void {
    this.logger.warn('pcsc', `PC/SC service lost: ${error.message}`);
    this.backend?.stop();
    this.backend = undefined;
    this.setUnavailable(error.message);
    this.scheduleRetry();
  }

  private setUnavailable(reason: string): void {
    const changed = this.available || this.error !== reason || this.readers.size > 0;
    if (this.available || this.error !== reason) this.logger.info('pcsc', `PC/SC unavailable: ${reason}`);
    this.available = false;
    this.error = reason;
    this.readers.clear();
    this.unsettled.clear();
    if (changed) this.scheduleEmit();
  }

  private scheduleRetry(): void {
    if (!this.running) return;
    clearTimeout(this.retryTimer);
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.maxBackoffMs);
    this.retryTimer = setTimeout(() => this.attempt(), delay);
    // Waiting for the service must not keep a finished host (e.g. `doctor`) alive.
    this.retryTimer.unref();
  }

  private onReaderAdded(backend: PcscBackend, name: string): void {
    if (this.backend !== backend) return;
    this.readers.set(name, { name, present: false, generation: ++this.generationCounter });
    this.unsettled.add(name);
    this.scheduleEmit();
  }

  private onReaderRemoved(backend: PcscBackend, name: string): void {
    if (this.backend !== backend) return;
    this.readers.delete(name);
    this.unsettled.delete(name);
    this.scheduleEmit();
  }

  private onReaderState(backend: PcscBackend, name: string, state: ReaderState): void {
    if (this.backend !== backend) return;
    const previous = this.readers.get(name);
    const atr = state.present ? state.atr : undefined;
    const same =
      previous &&
      previous.present === state.present &&
      (previous.atr?.equals(atr ?? Buffer.alloc(0)) ?? atr === undefined);
    if (!same) {
      const next: ReaderSnapshot = { name, present: state.present, generation: ++this.generationCounter };
      if (atr) next.atr = atr;
      this.readers.set(name, next);
      this.scheduleEmit();
    }
    this.unsettled.delete(name);
    if (this.unsettled.size === 0) this.markSettled();
  }

  private markSettled(): void {
    if (this.settled) return;
    this.settled = true;
    const waiters = this.settleWaiters;
    this.settleWaiters = [];
    waiters.forEach((w) => w());
  }

  /** Changes whenever the picture changes: lets callers reuse work done on the same picture. */
  get revision(): number {
    return this.revisionCounter;
  }

  /** Coalesces bursts (a reader list and its states) into one change event. */
  private scheduleEmit(): void {
    this.revisionCounter++;
    if (this.emitScheduled) return;
    this.emitScheduled = true;
    setTimeout(() => {
      this.emitScheduled = false;
      this.emit('changed', this.snapshot());
    }, 20);
  }
}
