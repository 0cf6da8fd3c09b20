/**
 * Answers the extension's prompt windows as a clerk would: waits for the next prompt (each has its
 * own id in the URL, so a window still closing from the previous step is never taken for it), picks
 * a certificate by what its label says, types the PIN, and approves.
 */
import type { Browser, Page, Target } from 'puppeteer-core';
import { EXTENSION_IDS } from '../../../shared/protocol/version.ts';

const PROMPT_URL = `chrome-extension://${EXTENSION_IDS.chromium}/extension/pages/prompt/`;

export interface PromptAnswer {
  /** Picks the certificate whose label matches (and is not marked as unusable for login). */
  certificate?: RegExp;
  pin?: string;
  /** Looks at the prompt before it is approved. */
  inspect?: (prompt: Page) => Promise<void>;
}

export class PromptDriver {
  private readonly seen = new Set<string>();

  constructor(private readonly browser: Browser) {}

  /** The next prompt window that was not handled yet, rendered. */
  async next(timeout = 15_000): Promise<Page> {
    const target = await this.browser.waitForTarget(
      (t: Target) => t.url().startsWith(PROMPT_URL) && !this.seen.has(t.url()),
      { timeout },
    );
    this.seen.add(target.url());
    const prompt = (await target.page())!;
    await prompt.waitForSelector('[data-origin]', { timeout });
    return prompt;
  }

  /** Waits for the next prompt, answers it and approves (the window closes as it is approved). */
  async answer(answer: PromptAnswer = {}): Promise<Page> {
    const prompt = await this.next();
    if (answer.certificate) {
      const source = answer.certificate.source;
      const flags = answer.certificate.flags;
      const picked = await prompt.$$eval(
        'label.certificate',
        (labels, s, f) => {
          const wanted = new RegExp(s, f);
          const label = labels.find(
            (l) =>
              wanted.test(l.textContent ?? '') &&
              !/cannot be used to log in|無法用於登入/.test(l.textContent ?? ''),
          );
          const input = label?.querySelector('input') as unknown as { click(): void } | null | undefined;
          input?.click();
          return label?.textContent ?? null;
        },
        source,
        flags,
      );
      if (picked === null) {
        const labels = await prompt.$$eval('label.certificate', (ls) => ls.map((l) => l.textContent));
        throw new Error(
          `no certificate matching ${String(answer.certificate)} in the prompt: ${labels.join(' | ')}`,
        );
      }
    }
    if (answer.pin !== undefined) await prompt.type('#pin', answer.pin);
    await answer.inspect?.(prompt);
    // The window closes while the click is handled: do not wait for the click's acknowledgement.
    void prompt.click('button[type="submit"]').catch(() => undefined);
    return prompt;
  }
}
