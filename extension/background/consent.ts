/**
 * Origins the clerk allowed, once, to read something from the cards without asking again (NHI card
 * data; the list of certificates). Kept per kind in storage.local; the options page can clear it.
 */
import browser from 'webextension-polyfill';

export interface ConsentStore {
  has(origin: string): Promise<boolean>;
  add(origin: string): Promise<void>;
}

/** What the options page shows and withdraws. */
export interface ConsentList extends ConsentStore {
  list(): Promise<string[]>;
  remove(origin: string): Promise<void>;
}

export const CONSENT_KINDS = ['nhiConsent', 'certificateConsent'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

export function consentStore(storageKey: ConsentKind): ConsentList {
  const load = async () =>
    ((await browser.storage.local.get(storageKey)) as Record<string, Record<string, boolean> | undefined>)[
      storageKey
    ] ?? {};
  return {
    async has(origin) {
      return (await load())[origin] === true;
    },
    async add(origin) {
      await browser.storage.local.set({ [storageKey]: { ...(await load()), [origin]: true } });
    },
    async list() {
      return Object.entries(await load())
        .filter(([, allowed]) => allowed === true)
        .map(([origin]) => origin)
        .sort();
    },
    async remove(origin) {
      const { [origin]: _withdrawn, ...rest } = await load();
      await browser.storage.local.set({ [storageKey]: rest });
    },
  };
}
