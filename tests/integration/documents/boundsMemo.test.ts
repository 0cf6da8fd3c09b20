/**
 * Kept text measurements against pdfkit's own, on the real CJK font: the bounds and the position
 * pdfkit leaves behind are the same for texts that fit, wrap or are cut short by the height, at
 * other sizes and line gaps; and a table drawn with them is the same file as one drawn without.
 */
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { memoizeBounds } from '../../../portal/src/documents/boundsMemo.ts';
import { findCjkFont } from '../../../portal/src/documents/pdfDocument.ts';

function parsed(): Font {
  const { path, family } = findCjkFont();
  const font = create(readFileSync(path), family);
  if (!('layout' in font)) throw new Error('expected one font');
  return font;
}

function document(font: Font, memo: boolean): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { CreationDate: new Date(0) } });
  doc.font(font as unknown as string, 'CJK');
  if (memo) memoizeBounds(doc, font);
  return doc;
}

const texts = [
  '投保單位名稱 Unit name',
  '卡橋測試股份有限公司',
  '臺灣鐵路管理局附設餐旅服務總所第一二三四五六七八九十分處（很長的名字會換行）',
  'NT$ 1,234,567',
  'Late payment: 0.1% a day after 15 days, at most 15%',
];

describe('kept text measurements', () => {
  const font = parsed();

  it('are what pdfkit measures, and leave the position where pdfkit leaves it', () => {
    const plain = document(font, false);
    const kept = document(font, true);
    for (const [size, lineGap] of [
      [11, 0],
      [9, 0],
      [9, 2],
      [11, 0],
    ] as const) {
      for (const doc of [plain, kept]) doc.fontSize(size).lineGap(lineGap);
      for (const text of texts) {
        const cases: PDFKit.Mixins.TextOptions[] = [
          { width: 200, height: 700, align: 'left', ellipsis: true },
          { width: 90, height: 700, align: 'center', ellipsis: true },
          { width: 90, height: 20, align: 'left', ellipsis: true },
          { width: 300, height: 14 },
        ];
        for (const options of cases) {
          for (const doc of [plain, kept]) doc.x = doc.y = 123; // changed by the measurement
          const want = plain.boundsOfString(text, 0, 0, options);
          expect(kept.boundsOfString(text, 0, 0, options)).toEqual(want);
          expect(kept.boundsOfString(text, 0, 0, options)).toEqual(want);
          expect([kept.x, kept.y]).toEqual([plain.x, plain.y]);
        }
      }
    }
  });

  it('make the same table file', async () => {
    const table = async (memo: boolean) => {
      const doc = document(font, memo);
      const chunks: Buffer[] = [];
      doc.on('data', (c: Buffer) => chunks.push(c));
      const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
      doc.fontSize(11).table({ columnStyles: [180, 300], data: texts.map((t, i) => [texts[4 - i]!, t]) });
      doc.end();
      return done;
    };
    const plain = await table(false);
    expect((await table(true)).equals(plain)).toBe(true);
    expect((await table(true)).equals(plain)).toBe(true);
  });
});
