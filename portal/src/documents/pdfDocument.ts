/**
 * One way to make the portal's PDFs (pdfkit): A4, the CJK font embedded (subset, so Traditional
 * Chinese text stays extractable), fixed metadata so the same input gives the same bytes.
 *
 * The font is parsed once per process (fontkit) and handed to every document: parsing a CJK font's
 * tables costs far more than drawing a slip, and pdfkit takes a parsed font as it takes a file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { create as parseFont, type Font } from 'fontkit';
import PDFDocument from 'pdfkit';
import { memoizeBounds } from './boundsMemo.ts';
import { withGlyphCache } from './glyphCache.ts';
import { deflateStreamsAt } from './streamDeflate.ts';

/** Where the CJK font is looked for: PORTAL_CJK_FONT first, then Debian's fonts-wqy-microhei. */
export const CJK_FONT_CANDIDATES: readonly { path: string; family?: string }[] = [
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
];

export class DocumentFontError extends Error {}

export interface CjkFont {
  path: string;
  family?: string;
}

export function findCjkFont(env: NodeJS.ProcessEnv = process.env): CjkFont {
  const configured = env.PORTAL_CJK_FONT?.trim();
  if (configured) {
    if (!existsSync(configured)) throw new DocumentFontError(`PORTAL_CJK_FONT does not exist: ${configured}`);
    const family = env.PORTAL_CJK_FONT_FAMILY?.trim();
    return family ? { path: configured, family } : { path: configured };
  }
  const found = CJK_FONT_CANDIDATES.find((c) => existsSync(c.path));
  if (!found) {
    throw new DocumentFontError(
      'No CJK font for PDFs: install Debian/Ubuntu fonts-wqy-microhei (sudo apt-get install fonts-wqy-microhei) or set PORTAL_CJK_FONT',
    );
  }
  return found;
}

export const A4_MARGIN = 48;

/** The key pdfkit caches the CJK font under in each document (not a name inside the PDF). */
const CJK_FONT_KEY = 'CardBridgeCJK';

const parsedFonts = new Map<string, Font>();

function parsedFont(font: CjkFont): Font {
  const key = `${font.path}#${font.family ?? ''}`;
  let parsed = parsedFonts.get(key);
  if (!parsed) {
    const loaded = parseFont(readFileSync(font.path), font.family);
    if (!('layout' in loaded))
      throw new DocumentFontError(`${font.path} is a font collection: name the font family`);
    parsed = withGlyphCache(withLayoutMemo(loaded));
    parsedFonts.set(key, parsed);
  }
  return parsed;
}

/** Texts whose shaping is kept per font (labels, digits and names repeat from slip to slip). */
const LAYOUT_MEMO_SIZE = 4096;

/**
 * Shapes each text once per process: pdfkit keeps its own layout cache per document only, and
 * shaping CJK text through the font's tables is a good part of a slip's cost. pdfkit scales the
 * positions of the run it gets in place, so every caller gets its own copy of them.
 */
function withLayoutMemo(font: Font): Font {
  type Run = ReturnType<Font['layout']>;
  const layout = font.layout.bind(font) as (text: string, ...rest: unknown[]) => Run;
  const memo = new Map<string, Run>();
  const copy = (run: Run) =>
    Object.assign(Object.create(Object.getPrototypeOf(run) as object) as typeof run, run, {
      glyphs: [...run.glyphs],
      positions: run.positions.map((p) => ({ ...p })),
    });
  font.layout = (text: string, ...rest: unknown[]) => {
    // Features or a script asked for: shaped as asked, not kept.
    if (rest.some((r) => r !== undefined)) return layout(text, ...rest);
    let run = memo.get(text);
    if (!run) {
      if (memo.size >= LAYOUT_MEMO_SIZE) memo.clear();
      run = layout(text);
      memo.set(text, run);
    }
    return copy(run);
  };
  return font;
}

/** Documents that share one pdfkit layout cache before it is started afresh (bounds its size). */
const LAYOUT_CACHE_DOCUMENTS = 256;

const sharedLayouts = new Map<Font, { cache: Record<string, unknown>; documents: number }>();

/**
 * pdfkit keeps the scaled layout of each word in a cache of the document's font object, made anew
 * for every document, so every slip measured and scaled its labels again. The scaled layout depends
 * only on the font (pdfkit's scale is 1000 / unitsPerEm), so documents of one font share the cache,
 * as the pages of one long document would. Renewed every LAYOUT_CACHE_DOCUMENTS documents.
 */
function shareLayoutCache(doc: PDFKit.PDFDocument, font: Font): void {
  const embedded = (doc as unknown as { _font?: { layoutCache?: Record<string, unknown> } })._font;
  if (!embedded?.layoutCache) return; // pdfkit's fontLayoutCache option is off
  let shared = sharedLayouts.get(font);
  if (!shared || shared.documents >= LAYOUT_CACHE_DOCUMENTS) {
    shared = { cache: Object.create(null) as Record<string, unknown>, documents: 0 };
    sharedLayouts.set(font, shared);
  }
  shared.documents++;
  embedded.layoutCache = shared.cache;
}

export interface PdfHandle {
  doc: PDFKit.PDFDocument;
  /** Resolves with the finished file once `doc.end()` has been called. */
  done: Promise<Buffer>;
}

/** A new A4 document with the CJK font selected; the caller draws and calls `doc.end()`. */
export function newPdf(font: CjkFont, title: string, created: Date): PdfHandle {
  const doc = new PDFDocument({
    // No default font: spares loading Helvetica's metrics for every document; the CJK font is set below.
    font: null as unknown as string,
    size: 'A4',
    margin: A4_MARGIN,
    info: {
      Title: title,
      Creator: 'CardBridge portal',
      Producer: 'CardBridge portal',
      CreationDate: created,
    },
    lang: 'zh-TW',
    displayTitle: true,
    tagged: true,
  });
  // pdfkit accepts a parsed fontkit font (its PDFFontFactory checks for `layout`); its types do not
  // say so. Given with a family name, which pdfkit keys its font cache by: a font object alone has no
  // key, so each table cell switching back to it would open the font again and compare name tables.
  deflateStreamsAt(doc);
  const parsed = parsedFont(font);
  doc.font(parsed as unknown as string, CJK_FONT_KEY);
  shareLayoutCache(doc, parsed);
  memoizeBounds(doc, parsed);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}
