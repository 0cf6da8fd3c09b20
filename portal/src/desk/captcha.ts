/**
 * The desk's captcha: five digits drawn by the server as distorted SVG strokes (no text element a
 * script could read off), with an accessible alternative, a small sum asked in words. Either answer
 * passes. Only salted hashes of the answers are stored; a captcha is consumed by its first check
 * (right or wrong) and expires after a few minutes. Answers are never logged.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { DeskLanguage } from '../../../shared/desk/messages.ts';
import { iso, type PortalContext } from '../services/context.ts';
import { newId } from '../services/ids.ts';
import { DESK_SETTINGS } from './settings.ts';

/** Stroke shapes of the digits on a 10 × 16 grid (polylines). */
const GLYPHS: Readonly<Record<string, readonly (readonly [number, number])[][]>> = {
  '0': [
    [
      [1, 1],
      [9, 1],
      [9, 15],
      [1, 15],
      [1, 1],
    ],
    [
      [2, 14],
      [8, 2],
    ],
  ],
  '1': [
    [
      [3, 4],
      [6, 1],
      [6, 15],
    ],
    [
      [3, 15],
      [9, 15],
    ],
  ],
  '2': [
    [
      [1, 3],
      [4, 1],
      [8, 1],
      [9, 4],
      [1, 15],
      [9, 15],
    ],
  ],
  '3': [
    [
      [1, 1],
      [9, 1],
      [4, 7],
      [9, 10],
      [8, 14],
      [1, 15],
    ],
  ],
  '4': [
    [
      [7, 15],
      [7, 1],
      [1, 11],
      [9, 11],
    ],
  ],
  '5': [
    [
      [9, 1],
      [1, 1],
      [1, 7],
      [8, 7],
      [9, 12],
      [7, 15],
      [1, 15],
    ],
  ],
  '6': [
    [
      [8, 1],
      [2, 5],
      [1, 12],
      [3, 15],
      [8, 15],
      [9, 11],
      [7, 8],
      [1, 9],
    ],
  ],
  '7': [
    [
      [1, 1],
      [9, 1],
      [4, 15],
    ],
    [
      [3, 8],
      [8, 8],
    ],
  ],
  '8': [
    [
      [5, 8],
      [1, 4],
      [5, 1],
      [9, 4],
      [5, 8],
      [1, 12],
      [5, 15],
      [9, 12],
      [5, 8],
    ],
  ],
  '9': [
    [
      [9, 7],
      [2, 7],
      [1, 3],
      [3, 1],
      [8, 1],
      [9, 7],
      [8, 12],
      [3, 15],
    ],
  ],
};

const ZH_NUMBERS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const EN_NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

export interface DeskCaptcha {
  id: string;
  /** An <svg> element, with role="img" and the label of the page's language. */
  svg: string;
  question: Record<DeskLanguage, string>;
}

const jitter = (spread: number) => (randomInt(0, 2001) / 1000 - 1) * spread;

function drawDigits(digits: string, label: string): string {
  const width = 200;
  const height = 64;
  const parts: string[] = [];
  for (let n = 0; n < 6; n++) {
    parts.push(
      `<path d="M${randomInt(0, width)} ${randomInt(0, height)} Q${randomInt(0, width)} ${randomInt(0, height)} ${randomInt(0, width)} ${randomInt(0, height)}" stroke="#8a8a8a" stroke-width="1.5" fill="none"/>`,
    );
  }
  [...digits].forEach((digit, index) => {
    const scale = 2.6 + jitter(0.3);
    const angle = jitter(18);
    const x = 14 + index * 36 + jitter(4);
    const y = 8 + jitter(5);
    const strokes = (GLYPHS[digit] ?? [])
      .map((line) =>
        line
          .map(
            ([px, py], i) =>
              `${i === 0 ? 'M' : 'L'}${(px + jitter(0.5)).toFixed(1)} ${(py + jitter(0.5)).toFixed(1)}`,
          )
          .join(' '),
      )
      .join(' ');
    parts.push(
      `<path transform="translate(${x.toFixed(1)} ${y.toFixed(1)}) rotate(${angle.toFixed(1)} 5 8) scale(${(scale / 1.3).toFixed(2)} ${(scale / 1.3).toFixed(2)})" d="${strokes}" stroke="#1a1a1a" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" fill="none"/>`,
    );
  });
  const escaped = label.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escaped}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><rect width="100%" height="100%" fill="#f4f4f0"/>${parts.join('')}</svg>`;
}

/** Full-width digits and spaces typed with a Chinese input method count as the plain ones. */
export function normaliseCaptchaAnswer(answer: string): string {
  return answer.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

const answerHash = (id: string, answer: string) =>
  createHash('sha256')
    .update(`${id}\u0000${normaliseCaptchaAnswer(answer)}`)
    .digest('hex');

export async function createCaptcha(ctx: PortalContext, imageLabel: string): Promise<DeskCaptcha> {
  const now = ctx.clock();
  const id = newId(now);
  const digits = Array.from({ length: 5 }, () => String(randomInt(0, 10))).join('');
  const a = randomInt(1, 10);
  const b = randomInt(1, 11);
  await ctx.db
    .insertInto('desk_captchas')
    .values({
      id,
      image_answer_hash: answerHash(id, digits),
      question_answer_hash: answerHash(id, String(a + b)),
      created_at: iso(now),
      expires_at: iso(new Date(now.getTime() + DESK_SETTINGS.captchaMinutes * 60_000)),
      used_at: null,
    })
    .execute();
  return {
    id,
    svg: drawDigits(digits, imageLabel),
    question: {
      'zh-TW': `${ZH_NUMBERS[a]!}加${ZH_NUMBERS[b]!}等於多少？（請填阿拉伯數字）`,
      en: `What is ${EN_NUMBERS[a]!} plus ${EN_NUMBERS[b]!}? (answer in digits)`,
    },
  };
}

/** Consumes the captcha and tells whether the answer was one of its two. Never throws on input. */
export async function checkCaptcha(ctx: PortalContext, id: string, answer: string): Promise<boolean> {
  const now = iso(ctx.clock());
  const row = await ctx.db
    .updateTable('desk_captchas')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['image_answer_hash', 'question_answer_hash'])
    .executeTakeFirst();
  if (!row || answer.length > 100) return false;
  const given = Buffer.from(answerHash(id, answer), 'hex');
  const matches = (stored: string) => timingSafeEqual(given, Buffer.from(stored, 'hex'));
  // Both compared, so the time taken does not tell which one matched.
  const image = matches(row.image_answer_hash);
  const question = matches(row.question_answer_hash);
  return image || question;
}

/** Captchas past their expiry are deleted (called by the desk's job). */
export async function removeExpiredCaptchas(ctx: PortalContext): Promise<void> {
  await ctx.db.deleteFrom('desk_captchas').where('expires_at', '<', iso(ctx.clock())).execute();
}
