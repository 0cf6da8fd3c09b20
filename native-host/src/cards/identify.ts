/**
 * Decides what kind of card sits in a reader: the ATR table first, then a probe for the NHI applet.
 * Results are cached per card insertion (the reader's generation), so a card is probed once.
 */
import type { CardInfo } from '../../../shared/protocol/messages.ts';
import type { Logger } from '../log/logger.ts';
import type { CardAccess } from '../pcsc/cardAccess.ts';
import type { ReaderSnapshot } from '../pcsc/readerMonitor.ts';
import { lookupAtr } from './atrTable.ts';
import { loadNhiDriver } from './nhi/loadNhiDriver.ts';

export class CardIdentifier {
  private readonly cache = new Map<string, { generation: number; info: Promise<CardInfo> }>();

  constructor(
    private readonly access: CardAccess,
    private readonly logger: Logger,
  ) {}

  /** True when this insertion's identification is known and kept (not a failed probe). */
  isSettled(reader: ReaderSnapshot): boolean {
    return this.cache.get(reader.name)?.generation === reader.generation;
  }

  async identify(reader: ReaderSnapshot): Promise<CardInfo | undefined> {
    if (!reader.present || !reader.atr) return undefined;
    const cached = this.cache.get(reader.name);
    if (cached?.generation === reader.generation) return cached.info;
    // Concurrent callers (status, events) share one probe of the same insertion.
    const info = this.classify(reader, reader.atr);
    this.cache.set(reader.name, { generation: reader.generation, info });
    const result = await info;
    if (result.identifiedBy === 'none' && result.probeFailed) {
      // A card that could not be probed (pulled out, mute) is not remembered.
      if (this.cache.get(reader.name)?.info === info) this.cache.delete(reader.name);
    }
    return stripInternal(result);
  }

  private async classify(reader: ReaderSnapshot, atr: Buffer): Promise<CardInfo & { probeFailed?: boolean }> {
    const known = lookupAtr(atr);
    let info: CardInfo;
    if (known) {
      info = { type: known.type, name: known.name, identifiedBy: 'atr' };
    } else {
      try {
        const { selectNhiApplet } = await loadNhiDriver();
        const isNhi = await this.access.withCard(reader.name, selectNhiApplet);
        info = isNhi ? { type: 'nhi', identifiedBy: 'probe' } : { type: 'unknown', identifiedBy: 'none' };
      } catch (error) {
        this.logger.debug('cards', `probe failed on ${reader.name}: ${(error as Error).message}`);
        return { type: 'unknown', identifiedBy: 'none', probeFailed: true };
      }
    }
    this.logger.info(
      'cards',
      `${reader.name}: ${info.type} card (ATR ${atr.toString('hex')}, by ${info.identifiedBy})`,
    );
    return info;
  }
}

function stripInternal(info: CardInfo & { probeFailed?: boolean }): CardInfo {
  const { probeFailed: _ignored, ...card } = info;
  return card;
}
