/**
 * Writes a TrueType subset file with the same bytes as fontkit's TTFSubset.encode, without its
 * per-value encoder. fontkit writes every subset through restructure one number at a time, including
 * the tables a subset copies unchanged from the font (cvt, prep, fpgm: about 3,000 values for
 * WenQuanYi Micro Hei, sized twice and written once): about a fifth of a slip's CPU.
 *
 * The unchanged tables (and head, hhea and maxp, where a subset changes only its glyph count) are
 * taken once per font from a file fontkit itself wrote; the directory and the tables made per subset
 * (loca, glyf, hmtx) are laid out as fontkit lays them out: tables in fontkit's order, right after
 * the directory, unpadded, checksums 0. tests/integration/documents/subsetFile.test.ts compares the
 * bytes with fontkit's own for many glyph sets.
 */

/** What fontkit's TTFSubset.encode has gathered when it writes the file (filled by its _addGlyph). */
export interface SubsetTables {
  glyf: Uint8Array[];
  loca: { offsets: number[]; version: number };
  hmtx: { metrics: { advance: number; bearing: number }[] };
}

/** fontkit's table order in TTFSubset.encode; tables the font lacks are left out, as fontkit does. */
const TABLE_ORDER = ['head', 'hhea', 'loca', 'maxp', 'cvt ', 'prep', 'glyf', 'hmtx', 'fpgm'] as const;
type Tag = (typeof TABLE_ORDER)[number];

/** Where a subset's glyph counts sit in tables otherwise copied: hhea.numberOfMetrics, maxp.numGlyphs. */
const GLYPH_COUNT_AT: Partial<Record<Tag, number>> = { hhea: 34, maxp: 4 };

export interface SubsetTemplate {
  /** The font's tables as fontkit writes them into a subset, in fontkit's order. */
  tables: readonly { tag: Tag; bytes: Uint8Array }[];
  locaVersion: number;
}

/** Reads the tables out of a subset file fontkit wrote (any glyph set: only counts differ). */
export function subsetTemplate(fontkitFile: Uint8Array, locaVersion: number): SubsetTemplate {
  const view = new DataView(fontkitFile.buffer, fontkitFile.byteOffset, fontkitFile.byteLength);
  const tables: { tag: Tag; bytes: Uint8Array }[] = [];
  for (let i = 0; i < view.getUint16(4); i++) {
    const entry = 12 + 16 * i;
    const tag = String.fromCharCode(...fontkitFile.subarray(entry, entry + 4)) as Tag;
    if (!TABLE_ORDER.includes(tag)) throw new Error(`unexpected table ${tag} in a fontkit subset`);
    const offset = view.getUint32(entry + 8);
    tables.push({ tag, bytes: fontkitFile.slice(offset, offset + view.getUint32(entry + 12)) });
  }
  const order = tables.map((t) => TABLE_ORDER.indexOf(t.tag));
  if (order.some((o, i) => i > 0 && o < order[i - 1]!)) throw new Error('fontkit subset tables out of order');
  return { tables, locaVersion };
}

/** The subset file for the gathered glyphs: byte for byte what fontkit's encode writes. */
export function writeSubsetFile(template: SubsetTemplate, subset: SubsetTables): Uint8Array {
  const { offsets } = subset.loca;
  const glyphs = subset.glyf.length;
  const locaLong = template.locaVersion !== 0;
  const sizeOf = (tag: Tag, bytes: Uint8Array): number => {
    if (tag === 'loca') return offsets.length * (locaLong ? 4 : 2);
    if (tag === 'glyf') return subset.glyf.reduce((sum, g) => sum + g.length, 0);
    if (tag === 'hmtx') return subset.hmtx.metrics.length * 4;
    return bytes.length;
  };
  const numTables = template.tables.length;
  const sizes = template.tables.map((t) => sizeOf(t.tag, t.bytes));
  const directory = 12 + 16 * numTables;
  const file = new Uint8Array(directory + sizes.reduce((a, b) => a + b, 0));
  const view = new DataView(file.buffer);
  // The directory as fontkit's preEncode fills it: tag 'true', the binary-search fields, checksums 0.
  const power = 2 ** Math.floor(Math.log2(numTables));
  file.set([0x74, 0x72, 0x75, 0x65]);
  view.setUint16(4, numTables);
  view.setUint16(6, power * 16);
  view.setUint16(8, Math.log2(power));
  view.setUint16(10, numTables * 16 - power * 16);
  let at = directory;
  template.tables.forEach(({ tag, bytes }, i) => {
    const entry = 12 + 16 * i;
    for (let c = 0; c < 4; c++) file[entry + c] = tag.charCodeAt(c);
    view.setUint32(entry + 8, at);
    view.setUint32(entry + 12, sizes[i]!);
    if (tag === 'loca') {
      for (const offset of offsets) {
        if (locaLong) view.setUint32(at, offset);
        else view.setUint16(at, offset >>> 1);
        at += locaLong ? 4 : 2;
      }
    } else if (tag === 'glyf') {
      for (const glyph of subset.glyf) {
        file.set(glyph, at);
        at += glyph.length;
      }
    } else if (tag === 'hmtx') {
      for (const { advance, bearing } of subset.hmtx.metrics) {
        view.setUint16(at, advance);
        view.setInt16(at + 2, bearing);
        at += 4;
      }
    } else {
      file.set(bytes, at);
      const count = GLYPH_COUNT_AT[tag];
      if (count !== undefined)
        view.setUint16(at + count, tag === 'hhea' ? subset.hmtx.metrics.length : glyphs);
      at += bytes.length;
    }
  });
  return file;
}
