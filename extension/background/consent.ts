/**
 * Origins the clerk allowed, once, to read something from the cards without asking again (NHI card
 * data; the list of certificates). Kept per kind in storage.local; the options page can clear it.
 */
import browser from 'webextension-polyfill';

export interface ConsentStore {
  has(origin: string): Promise<boolean>;
  add(origin: string): Promise<void>;
}

export function consentStore(storageKey: 'nhiConsent' | 'certificateConsent'): ConsentStore {
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
  };
}
