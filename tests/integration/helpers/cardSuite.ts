/**
 * One lab and one host per test file for the NHI card tests: cards inserted by a test are removed
 * after it, and the next test starts only once the host has seen every reader empty (pcscd polls vpcd
 * for presence, so a card swapped faster than that keeps the old ATR).
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ForeignCardApplet, NhiCardApplet } from '../../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../../lab/lab.ts';
import type { VirtualCard } from '../../../lab/vpcd/virtualCard.ts';
import { HostProcess } from './hostProcess.ts';

export interface CardSuite {
  readonly lab: Lab;
  readonly host: HostProcess;
  insert(
    applet: NhiCardApplet | ForeignCardApplet,
    slot?: 0 | 1,
    onApdu?: (a: Buffer, c: VirtualCard) => void,
  ): Promise<VirtualCard>;
  /** Starts the host and waits until exactly the inserted cards show (earlier tests' cards gone). */
  startHost(): Promise<HostProcess>;
  /** Starts a host with extra environment, without waiting for the cards (the test does). */
  startHostWith(env: Record<string, string>): HostProcess;
}

export function cardSuite(): CardSuite {
  let lab: Lab | undefined;
  let host: HostProcess | undefined;
  const cards: VirtualCard[] = [];

  beforeAll(async () => {
    lab = await Lab.start();
  });
  afterAll(async () => {
    await lab?.stop();
  });
  afterEach(async () => {
    if (!host) return;
    const empty = host
      .nextReadersChanged((d) => d.readers.every((r) => !r.cardPresent))
      .catch(() => undefined);
    const hadCards = cards.some((c) => c.isInserted);
    await Promise.all(cards.splice(0).map((c) => c.remove()));
    if (hadCards) await empty;
    await host.close();
  });

  return {
    get lab() {
      if (!lab) throw new Error('the lab starts in beforeAll');
      return lab;
    },
    get host() {
      if (!host) throw new Error('startHost() first');
      return host;
    },
    async insert(applet, slot = 0, onApdu) {
      const card = this.lab.card(applet, this.lab.slot(slot), onApdu ? { onApdu } : {});
      cards.push(card);
      await card.insert();
      return card;
    },
    startHostWith(env) {
      host = new HostProcess({ env: { ...this.lab.env, ...env } });
      return host;
    },
    async startHost() {
      const started = new HostProcess({ env: this.lab.env });
      host = started;
      await started.request('events.subscribe');
      await started.untilCardsSeen(
        cards.filter((c) => c.isInserted).map((c) => c.applet.atr.toString('hex')),
      );
      return started;
    },
  };
}
