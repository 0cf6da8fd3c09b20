/**
 * A portal screen's loading lines keep their height (portal.css), but a screen still loading may yet
 * re-render under a click. Tests wait until every status line of the screen is empty before they
 * click on it, as a clerk would.
 */
import type { Page } from 'puppeteer-core';

export async function waitForScreenSettled(page: Page, screen: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (name) => {
      const section = document.querySelector(`[data-screen="${name}"]`);
      if (!section) return false;
      const lines = Array.from(section.querySelectorAll('[role="status"]')) as unknown as {
        textContent: string;
      }[];
      return lines.every((line) => line.textContent === '');
    },
    { timeout },
    screen,
  );
}

/** Clicks a link of a screen once that screen has finished loading. */
export async function clickWhenSettled(page: Page, screen: string, selector: string): Promise<void> {
  await page.waitForSelector(`[data-screen="${screen}"] ${selector}`, { timeout: 20_000 });
  await waitForScreenSettled(page, screen);
  await page.click(`[data-screen="${screen}"] ${selector}`);
}
