/**
 * The lab launcher: a private pcscd with virtual readers, and virtual cards to put in them.
 * Two vpcd entries: "CardBridge Lab" (readers 00 00 and 00 01) and, for hot-plug tests, a second
 * entry that can be added or removed by restarting the lab's pcscd with another reader set.
 */
import { LabPcscd, freePortRun, type LabReaderConfig } from './pcscd.ts';
import { VirtualCard, type CardApplet, type VirtualCardOptions } from './vpcd/virtualCard.ts';

export const LAB_READER = 'CardBridge Lab';
export const HOTPLUG_READER = 'CardBridge Hotplug';

export interface LabSlot {
  /** Reader name as PC/SC shows it. */
  reader: string;
  port: number;
}

export class Lab {
  readonly pcscd: LabPcscd;
  readonly main: LabReaderConfig;
  readonly hotplug: LabReaderConfig;
  private readonly cards: VirtualCard[] = [];

  private constructor(basePort: number) {
    this.main = { name: LAB_READER, port: basePort };
    this.hotplug = { name: HOTPLUG_READER, port: basePort + 2 };
    this.pcscd = new LabPcscd([this.main]);
  }

  static async start(options: { withHotplugReader?: boolean } = {}): Promise<Lab> {
    const lab = new Lab(await freePortRun(4));
    try {
      await lab.pcscd.start(options.withHotplugReader ? [lab.main, lab.hotplug] : [lab.main]);
    } catch (error) {
      // The pcscd's folder in the temp directory is already made.
      await lab.pcscd.dispose();
      throw error;
    }
    return lab;
  }

  /** Slot 0 or 1 of the main entry, or of the hot-plug entry. */
  slot(index: 0 | 1, entry: 'main' | 'hotplug' = 'main'): LabSlot {
    const config = entry === 'main' ? this.main : this.hotplug;
    return { reader: `${config.name} 00 0${index}`, port: config.port + index };
  }

  get env(): Record<string, string> {
    return this.pcscd.env;
  }

  /** Creates a card for a slot (not inserted yet). */
  card(applet: CardApplet, slot: LabSlot, options: Partial<VirtualCardOptions> = {}): VirtualCard {
    const card = new VirtualCard(applet, { ...options, port: slot.port });
    this.cards.push(card);
    return card;
  }

  /** Hot-plug: the reader set changes (pcscd restarts with it, as a USB reader appearing would show). */
  async setHotplugReader(present: boolean): Promise<void> {
    await this.pcscd.stop();
    await this.pcscd.start(present ? [this.main, this.hotplug] : [this.main]);
  }

  async stop(): Promise<void> {
    await Promise.all(this.cards.map((c) => c.remove()));
    await this.pcscd.dispose();
  }
}
