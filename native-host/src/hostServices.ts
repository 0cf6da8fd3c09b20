/** Wires the host's long-lived parts: logger, PC/SC monitor, card access and identification. */
import type { ReaderStatus, StatusResult, TokenStatus } from '../../shared/protocol/messages.ts';
import { PROTOCOL_VERSION } from '../../shared/protocol/version.ts';
import { CardIdentifier } from './cards/identify.ts';
import type { HostConfig } from './config.ts';
import type { Logger } from './log/logger.ts';
import type { PcscBackendFactory } from './pcsc/backend.ts';
import { CardAccess } from './pcsc/cardAccess.ts';
import { pcscBackendFactory } from './pcsc/selectBackend.ts';
import { ReaderMonitor, type MonitorSnapshot } from './pcsc/readerMonitor.ts';
import type { TokenService } from './tokens/tokenService.ts';
import { HOST_VERSION } from './version.ts';

export interface HostServices {
  logger: Logger;
  monitor: ReaderMonitor;
  access: CardAccess;
  identifier: CardIdentifier;
  /** The token layer, loaded on first use (it brings PKCS#12 and ASN.1 code the NHI card path never needs). */
  tokens(): Promise<TokenService>;
  /** Whether any PKCS#11 module or PKCS#12 file is configured. */
  tokensConfigured: boolean;
  config: Pick<HostConfig, 'apduTimeoutMs' | 'developmentOrigins' | 'pkcs11Modules' | 'pkcs12Files'>;
  /** The PC/SC reader a token's slot belongs to (slot descriptions name the reader). */
  readerOfSlot(slotDescription?: string): string | undefined;
  /** The full status (as the `status` command returns it). */
  status(): Promise<StatusResult>;
  /** The reader list with card types, for events and status. */
  describeReaders(snapshot: MonitorSnapshot, tokenReaders?: Set<string>): Promise<ReaderStatus[]>;
  /** Readers whose card a PKCS#11 module serves (empty when no token source is configured). */
  tokenReaders(): Promise<Set<string>>;
  stop(): Promise<void>;
}

export function createHostServices(
  logger: Logger,
  config: Pick<HostConfig, 'apduTimeoutMs' | 'developmentOrigins' | 'pkcs11Modules' | 'pkcs12Files'>,
  createBackend: PcscBackendFactory = pcscBackendFactory(),
): HostServices {
  const monitor = new ReaderMonitor(createBackend, { logger });
  const access = new CardAccess(monitor, { logger, apduTimeoutMs: config.apduTimeoutMs });
  const identifier = new CardIdentifier(access, logger);
  const tokensConfigured = config.pkcs11Modules.length + config.pkcs12Files.length > 0;
  let tokenService: Promise<TokenService> | undefined;
  const tokens = (): Promise<TokenService> =>
    (tokenService ??= import('./tokens/tokenService.ts').then(
      (m) =>
        new m.TokenService({ logger, pkcs11Modules: config.pkcs11Modules, pkcs12Files: config.pkcs12Files }),
    ));
  const readerOfSlot = (slotDescription?: string): string | undefined => {
    if (!slotDescription) return undefined;
    return monitor
      .snapshot()
      .readers.find((r) => r.name === slotDescription || slotDescription.startsWith(r.name))?.name;
  };
  let lastStatus: { revision: number; result: StatusResult } | undefined;

  const describeReaders = async (
    snapshot: MonitorSnapshot,
    tokenReaders = new Set<string>(),
  ): Promise<ReaderStatus[]> =>
    Promise.all(
      snapshot.readers.map(async (reader) => {
        const status: ReaderStatus = { name: reader.name, cardPresent: reader.present };
        if (reader.present && reader.atr) {
          status.atr = reader.atr.toString('hex');
          // A reader whose card a PKCS#11 module serves as a token is a PKI card, whatever its ATR.
          const card = tokenReaders.has(reader.name)
            ? { type: 'pki' as const, identifiedBy: 'token' as const }
            : await identifier.identify(reader);
          if (card) status.card = card;
        }
        return status;
      }),
    );

  const tokenStatus = async (): Promise<{ tokens: TokenStatus[]; readers: Set<string> }> => {
    if (!tokensConfigured) return { tokens: [], readers: new Set() };
    const { providers } = await (await tokens()).inventory();
    const readers = new Set<string>();
    const list = providers.map((p) => ({
      kind: p.kind,
      source: p.source,
      ...(p.error ? { error: p.error } : {}),
      tokens: p.tokens.map((t) => {
        const reader = readerOfSlot(t.slotDescription);
        if (reader) readers.add(reader);
        return {
          label: t.label,
          serial: t.serial,
          ...(t.manufacturer ? { manufacturer: t.manufacturer } : {}),
          ...(t.model ? { model: t.model } : {}),
          ...(reader ? { reader } : {}),
          pinpad: t.pinpad,
        };
      }),
    }));
    return { tokens: list, readers };
  };

  // Pages poll status; while nothing changed, the answer is the one already built. Tokens are
  // listed afresh each time (a PKCS#12 file or a module's slots can change unseen).
  const keptStatus = (): StatusResult | undefined =>
    !tokensConfigured && lastStatus?.revision === monitor.revision ? lastStatus.result : undefined;

  async function buildStatus(): Promise<StatusResult> {
    await monitor.ready();
    const revision = monitor.revision;
    const kept = keptStatus();
    if (kept) return kept;
    const snapshot = monitor.snapshot();
    const pcsc = snapshot.available
      ? { available: true }
      : { available: false, error: snapshot.error ?? 'unknown' };
    const token = await tokenStatus();
    const readers = await describeReaders(snapshot, token.readers);
    const result: StatusResult = {
      version: HOST_VERSION,
      protocol: PROTOCOL_VERSION,
      pcsc,
      readers,
      tokens: token.tokens,
    };
    // A card whose probe failed is tried again next time, so that answer is not kept.
    const complete = snapshot.readers.every((r) => !r.present || identifier.isSettled(r));
    if (complete && monitor.revision === revision) lastStatus = { revision, result };
    return result;
  }

  return {
    logger,
    monitor,
    access,
    identifier,
    tokens,
    tokensConfigured,
    tokenReaders: async () => (await tokenStatus()).readers,
    config,
    readerOfSlot,
    describeReaders,
    status() {
      // A kept answer is returned without an async function's hops.
      const kept = monitor.isReady ? keptStatus() : undefined;
      return kept ? Promise.resolve(kept) : buildStatus();
    },
    async stop() {
      monitor.stop();
      await Promise.all([access.close(), tokenService?.then((t) => t.close())]);
    },
  };
}
