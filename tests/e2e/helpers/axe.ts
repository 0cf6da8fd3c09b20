/** axe-core in a page: serious or critical violations, as "rule: target" lines. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeGlobal {
  axe: {
    run(): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }> }>;
  };
}

export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: extension pages' CSP forbids inline script tags.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const result = await (globalThis as unknown as AxeGlobal).axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}
