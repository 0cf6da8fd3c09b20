/**
 * The glyph cache against fontkit itself, on the real CJK font: a subset made with glyph data kept
 * from earlier documents is byte for byte the subset fontkit makes, also for compound glyphs, whose
 * component ids are renumbered per subset (a record shared between documents must not keep them).
 */
import { readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { withGlyphCache } from '../../../portal/src/documents/glyphCache.ts';
import { findCjkFont } from '../../../portal/src/documents/pdfDocument.ts';

interface Subset {
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
}

function load(): Font {
  const { path, family } = findCjkFont();
  const font = create(readFileSync(path), family);
  if (!('layout' in font)) throw new Error('expected one font');
  return font;
}

function subsetBytes(font: Font, text: string, extraGlyphs: readonly number[]): Buffer {
  const subset = (font as unknown as { createSubset(): Subset }).createSubset();
  for (const glyph of font.layout(text).glyphs) subset.includeGlyph(glyph.id);
  for (const gid of extraGlyphs) subset.includeGlyph(gid);
  return Buffer.from(subset.encode());
}

/** The first few compound glyphs of the font (their outlines are made of other glyphs). */
function compoundGlyphs(font: Font, count: number): number[] {
  const found: number[] = [];
  const glyphOf = (gid: number) =>
    (font as unknown as { getGlyph(g: number): { _decode(): { numberOfContours: number } | null } }).getGlyph(
      gid,
    );
  for (let gid = 0; gid < font.numGlyphs && found.length < count; gid++) {
    if ((glyphOf(gid)._decode()?.numberOfContours ?? 0) < 0) found.push(gid);
  }
  return found;
}

describe('glyph data kept across documents', () => {
  const plain = load();
  const cached = withGlyphCache(load());
  const compound = compoundGlyphs(plain, 3);

  it('finds compound glyphs to check in the font', () => {
    expect(compound.length).toBeGreaterThan(0);
  });

  it('writes the same subset as fontkit, document after document, glyphs in other orders', () => {
    const documents: [string, number[]][] = [
      ['全民健康保險 電子繳款單 卡橋測試股份有限公司 NT$ 4,855', compound],
      ['王大明 林美麗 012345678', [...compound].reverse()],
      ['卡橋 保費明細表 A223456781', compound.slice(1)],
      ['全民健康保險 電子繳款單 卡橋測試股份有限公司 NT$ 4,855', compound],
    ];
    for (const [text, extra] of documents) {
      expect(subsetBytes(cached, text, extra).equals(subsetBytes(plain, text, extra))).toBe(true);
    }
  });
});
