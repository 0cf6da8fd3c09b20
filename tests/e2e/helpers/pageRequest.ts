/**
 * A page's request through the page API (the test site loads CardBridgePage), started from the test:
 * resolves with the result or the error code the page saw, never throws.
 */
import type { Page } from 'puppeteer-core';

interface PageGlobals {
  CardBridgePage: { createCardBridge(): { request(action: string, payload?: unknown): Promise<unknown> } };
}
export type PageOutcome = { ok: true; result: unknown } | { ok: false; code: string };

export function pageRequest(
  page: Page,
  action: string,
  payload: Record<string, unknown> = {},
): Promise<PageOutcome> {
  return page.evaluate(
    async (a, p) => {
      const lib = (globalThis as unknown as PageGlobals).CardBridgePage;
      try {
        return { ok: true as const, result: await lib.createCardBridge().request(a, p) };
      } catch (error) {
        return { ok: false as const, code: (error as { code: string }).code };
      }
    },
    action,
    payload,
  );
}
