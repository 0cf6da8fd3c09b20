/**
 * Drives the desk's ordinary web pages (no extension) in a real browser: fills a form by its labels'
 * fields, answers the captcha through its accessible question, and submits with the keyboard.
 */
import type { Page } from 'puppeteer-core';

const ZH = '零一二三四五六七八九十';
const EN = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

export async function answerCaptcha(page: Page): Promise<void> {
  const question = await page.$eval('#captcha-question', (p) => p.textContent ?? '');
  const zh = /([零一二三四五六七八九十])加([零一二三四五六七八九十])/.exec(question);
  const en = /(\w+) plus (\w+)/.exec(question);
  const answer = zh
    ? ZH.indexOf(zh[1]!) + ZH.indexOf(zh[2]!)
    : en
      ? EN.indexOf(en[1]!) + EN.indexOf(en[2]!)
      : Number.NaN;
  if (Number.isNaN(answer)) throw new Error(`no captcha question: ${question}`);
  await page.type('#captcha', String(answer));
}

/** Types each value into the field with that id, then sends the form with Enter from the last field. */
export async function fillAndSend(
  page: Page,
  fields: Record<string, string>,
  withCaptcha: boolean,
): Promise<void> {
  for (const [id, value] of Object.entries(fields)) {
    await page.$eval(`#${id}`, (input) => {
      (input as HTMLInputElement).value = '';
    });
    await page.type(`#${id}`, value);
  }
  if (withCaptcha) await answerCaptcha(page);
  await Promise.all([page.waitForNavigation({ timeout: 60_000 }), page.keyboard.press('Enter')]);
}

export const mainText = (page: Page) => page.$eval('main', (m) => m.textContent ?? '');
