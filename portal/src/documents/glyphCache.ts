/**
 * Keeps each glyph's TrueType data across documents. pdfkit asks fontkit for a new subset per
 * document, and fontkit's subset decodes every glyph's outline again (only to learn whether it is
 * compound) and copies its bytes out of the font: about a third of a slip's CPU. The bytes of a glyph
 * id, its component ids and its metrics are the same in every document, so they are read once per
 * process; only the renumbering of a compound glyph's components belongs to one subset and is done
 * per document on a copy. The file is then written by subsetFile.ts rather than by fontkit's
 * per-value encoder. The subset written is byte for byte what fontkit writes.
 *
 * fontkit's subset internals are not typed; the few members used are declared here.
 */
import type { Font } from 'fontkit';
import { subsetTemplate, writeSubsetFile, type SubsetTables, type SubsetTemplate } from './subsetFile.ts';

interface GlyphRecord {
  bytes: Uint8Array;
  /** Compound glyph: where in `bytes` each component's glyph id is written. */
  components: readonly { glyphID: number; pos: number }[] | null;
  advance: number;
  bearing: number;
}

/** The members of fontkit's TTFSubset this module reads and fills. */
interface TtfSubset extends SubsetTables {
  includeGlyph(glyph: number): number;
  _addGlyph(gid: number): number;
  encode(): Uint8Array;
  glyphs: number[];
  offset: number;
}

/** The members of fontkit's TTFFont used to read one glyph. */
interface TtfFont {
  createSubset(): unknown;
  loca: { offsets: number[]; version: number };
  getGlyph(gid: number): {
    advanceWidth: number;
    _decode(): { numberOfContours: number; components?: { glyphID: number; pos: number }[] } | null;
    _getMetrics(): { leftBearing: number };
  };
  _getTableStream(tag: string): { pos: number; readBuffer(length: number): Uint8Array } | null;
  _variationProcessor?: unknown;
  directory: { tables: Record<string, unknown> };
}

/** Glyphs kept per font; a CJK document uses tens, a font has tens of thousands. */
const GLYPH_CACHE_SIZE = 8192;

function readGlyph(font: TtfFont, gid: number): GlyphRecord {
  const glyph = font.getGlyph(gid);
  const glyf = glyph._decode();
  const start = font.loca.offsets[gid]!;
  const end = font.loca.offsets[gid + 1]!;
  const stream = font._getTableStream('glyf')!;
  stream.pos += start;
  // A copy: the record outlives the font stream's position and is shared by documents.
  const bytes = new Uint8Array(stream.readBuffer(end - start));
  const components =
    glyf && glyf.numberOfContours < 0
      ? (glyf.components ?? []).map(({ glyphID, pos }) => ({ glyphID, pos }))
      : null;
  return { bytes, components, advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing };
}

/**
 * Makes `font.createSubset()` give subsets that take glyph data from a per-process cache. Fonts
 * this does not cover (CFF outlines, variable fonts whose glyphs fontkit re-encodes) keep fontkit's
 * own subset.
 */
export function withGlyphCache(font: Font): Font {
  const ttf = font as unknown as TtfFont;
  const { tables } = ttf.directory;
  if (!tables.glyf || tables['CFF '] || ttf._variationProcessor) return font;
  const createSubset = ttf.createSubset.bind(ttf);
  const records = new Map<number, GlyphRecord>();
  const record = (gid: number): GlyphRecord => {
    let found = records.get(gid);
    if (!found) {
      if (records.size >= GLYPH_CACHE_SIZE) records.clear();
      found = readGlyph(ttf, gid);
      records.set(gid, found);
    }
    return found;
  };
  let template: SubsetTemplate | undefined;
  // The font's own tables as fontkit writes them, from a subset fontkit encodes (the missing glyph).
  const fontTables = () =>
    (template ??= subsetTemplate((createSubset() as TtfSubset).encode(), ttf.loca.version));
  ttf.createSubset = () => {
    const subset = createSubset() as TtfSubset;
    // Same steps as fontkit's TTFSubset._addGlyph, with the glyph read from the cache.
    subset._addGlyph = (gid: number) => {
      const { bytes, components, advance, bearing } = record(gid);
      let data = bytes;
      if (components) {
        data = new Uint8Array(bytes);
        const view = new DataView(data.buffer);
        for (const component of components)
          view.setUint16(component.pos, subset.includeGlyph(component.glyphID));
      }
      subset.glyf.push(data);
      subset.loca.offsets.push(subset.offset);
      subset.hmtx.metrics.push({ advance, bearing });
      subset.offset += data.length;
      return subset.glyf.length - 1;
    };
    // Same steps as fontkit's TTFSubset.encode up to writing the file (glyphs added while adding
    // compound glyphs' components are taken in turn); the file is written by subsetFile.ts.
    subset.encode = () => {
      subset.glyf = [];
      subset.offset = 0;
      subset.loca = { offsets: [], version: ttf.loca.version };
      subset.hmtx = { metrics: [] };
      for (let i = 0; i < subset.glyphs.length; i++) subset._addGlyph(subset.glyphs[i]!);
      subset.loca.offsets.push(subset.offset);
      return writeSubsetFile(fontTables(), subset);
    };
    return subset;
  };
  return font;
}
