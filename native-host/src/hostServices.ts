/** Wires the host's long-lived parts: logger, PC/SC monitor, card access and identification. */
import type { ReaderStatus, StatusResult } from '../../shared/protocol/messages.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import { CardIdentifier } from './cards/identify.ts';
import type { HostConfig } from './config.ts';
import type { Logger } from './log/logger.ts';
import type { PcscBackendFactory } from './pcsc/backend.ts';
import { CardAccess } from './pcsc/cardAccess.ts';
import { PcscliteBackend } from './pcsc/pcscliteBackend.ts';
import { ReaderMonitor, type MonitorSnapshot } from './pcsc/readerMonitor.ts';
import { HOST_VERSION } from './version.ts';

export interface HostServices {
  logger: Logger;
  monitor: ReaderMonitor;
  access: CardAccess;
  identifier: CardIdentifier;
  /** The full status (as the `status` command returns it). */
  status(): Promise<StatusResult>;
  /** The reader list with card types, for events and status. */
  describeReaders(snapshot: MonitorSnapshot): Promise<ReaderStatus[]>;
  stop(): Promise<void>;
}

export function createHostServices(
  logger: Logger,
  config: Pick<HostConfig, 'apduTimeoutMs'>,
  createBackend: PcscBackendFactory = () => new PcscliteBackend(),
): HostServices {
  const monitor = new ReaderMonitor(createBackend, { logger });
  const access = new CardAccess(monitor, { logger, apduTimeoutMs: config.apduTimeoutMs });
  const identifier = new CardIdentifier(access, logger);
  let lastStatus: { revision: number; result: StatusResult } | undefined;

  const describeReaders = async (snapshot: MonitorSnapshot): Promise<ReaderStatus[]> =>
    Promise.all(
      snapshot.readers.map(async (reader) => {
        const status: ReaderStatus = { name: reader.name, cardPresent: reader.present };
        if (reader.present && reader.atr) {
          status.atr = reader.atr.toString('hex');
          const card = await identifier.identify(reader);
          if (card) status.card = card;
        }
        return status;
      }),
    );

  return {
    logger,
    monitor,
    access,
    identifier,
    describeReaders,
    async status() {
      await monitor.ready();
      // Pages poll status; while nothing changed, the answer is the one already built.
      const revision = monitor.revision;
      if (lastStatus?.revision === revision) return lastStatus.result;
      const snapshot = monitor.snapshot();
      const pcsc = snapshot.available
        ? { available: true }
        : { available: false, error: snapshot.error ?? 'unknown' };
      const readers = await describeReaders(snapshot);
      const result: StatusResult = {
        version: HOST_VERSION,
        protocol: PROTOCOL_VERSION,
        pcsc,
        readers,
        tokens: [],
      };
      // A card whose probe failed is tried again next time, so that answer is not kept.
      const complete = snapshot.readers.every((r) => !r.present || identifier.isSettled(r));
      if (complete && monitor.revision === revision) lastStatus = { revision, result };
      return result;
    },
    async stop() {
      monitor.stop();
      await access.close();
    },
  };
}
