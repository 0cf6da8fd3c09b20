/**
 * The subset file written by subsetFile.ts against the file fontkit writes, on real fonts: the CJK
 * font the portal uses (long loca offsets, cvt/prep/fpgm present), and two Debian fonts that take
 * the other paths (DejaVu Sans ExtraLight: short loca offsets; DejaVu Math TeX Gyre: no fpgm or
 * prep). Glyph sets of many sizes and orders, compound glyphs included.
 */
import { existsSync, readFileSync } from 'node:fs';
import { create, type Font } from 'fontkit';
import { describe, expect, it } from 'vitest';
import { withGlyphCache } from '../../../portal/src/documents/glyphCache.ts';
import { findCjkFont } from '../../../portal/src/documents/pdfDocument.ts';

interface Subset {
  includeGlyph(gid: number): number;
  encode(): Uint8Array;
}
interface TtfInternals {
  createSubset(): Subset;
  getGlyph(gid: number): { _decode(): { numberOfContours: number } | null };
  loca: { version: number };
  directory: { tables: Record<string, unknown> };
}

const DEJAVU = '/usr/share/fonts/truetype/dejavu'; // Debian's fonts-dejavu-extra (system-packages.json)

function load(path: string, family?: string): Font {
  const font = create(readFileSync(path), family);
  if (!('layout' in font)) throw new Error('expected one font');
  return font;
}

function encoded(font: Font, gids: readonly number[]): Buffer {
  const subset = (font as unknown as TtfInternals).createSubset();
  for (const gid of gids) subset.includeGlyph(gid);
  return Buffer.from(subset.encode());
}

/** Glyph sets: a few from a small generator (repeatable), compound glyphs and the font's last glyph. */
function glyphSets(font: Font): number[][] {
  const internals = font as unknown as TtfInternals;
  const compound: number[] = [];
  for (let gid = 0; gid < font.numGlyphs && compound.length < 5; gid++) {
    if ((internals.getGlyph(gid)._decode()?.numberOfContours ?? 0) < 0) compound.push(gid);
  }
  let seed = 7;
  const next = () => (seed = (seed * 48271) % 2147483647) % font.numGlyphs;
  const sets: number[][] = [[], [font.numGlyphs - 1], compound, [...compound].reverse()];
  for (const size of [1, 3, 40, 400]) sets.push(Array.from({ length: size }, next).concat(compound));
  return sets;
}

const fonts: [string, () => Font][] = [
  ['WenQuanYi Micro Hei (the portal CJK font)', () => load(findCjkFont().path, findCjkFont().family)],
  ['DejaVu Sans ExtraLight (short loca)', () => load(`${DEJAVU}/DejaVuSans-ExtraLight.ttf`)],
  ['DejaVu Math TeX Gyre (no fpgm)', () => load(`${DEJAVU}/DejaVuMathTeXGyre.ttf`)],
];

describe('subset files written without fontkit’s encoder', () => {
  it('has the fonts that take each path', () => {
    expect(existsSync(`${DEJAVU}/DejaVuSans-ExtraLight.ttf`)).toBe(true);
    const short = load(`${DEJAVU}/DejaVuSans-ExtraLight.ttf`) as unknown as TtfInternals;
    expect(short.loca.version).toBe(0);
    const noFpgm = load(`${DEJAVU}/DejaVuMathTeXGyre.ttf`) as unknown as TtfInternals;
    expect(noFpgm.directory.tables.fpgm).toBeUndefined();
  });

  for (const [name, open] of fonts) {
    it(`are fontkit's bytes for ${name}`, () => {
      const plain = open();
      const fast = withGlyphCache(open());
      const sets = glyphSets(plain);
      for (const gids of [...sets, ...sets]) {
        const ours = encoded(fast, gids);
        expect(ours.length).toBeGreaterThan(0);
        expect(ours.equals(encoded(plain, gids))).toBe(true);
      }
    });
  }
});
