/**
 * Keeps the measured bounds of table cell texts per font and process. pdfkit's table measures every
 * cell four times (twice for the row height, twice again at that height), each time running its line
 * wrapper over the text, before it draws the cell: about a seventh of a slip's CPU. A measurement
 * depends only on the text, the font and size, the line gap and the options, so each is worked out
 * once; labels repeat on every slip, and a cell's repeated measurements hit within the slip. (With a
 * different unit on every slip the gain is small, 0–10%; on the bench's identical slips, 30%.)
 *
 * Only the measurements the table makes are kept: at a given position, with a width and a height
 * (no page breaks), no rotation, nothing carried over from a continued text. Others go to pdfkit.
 */
import type { Font } from 'fontkit';

type Bounds = { x: number; y: number; width: number; height: number };
type Options = { width?: number; height?: number; rotation?: number } & Record<string, unknown>;
type BoundsOfString = (text: string, x?: number, y?: number, options?: Options) => Bounds;

/** The members of pdfkit's document this module reads (not in pdfkit's types). */
interface DocumentState {
  _font?: { font?: unknown };
  _fontSize: number;
  _lineGap?: number;
  _textOptions?: unknown;
  x: number;
  y: number;
  boundsOfString: BoundsOfString;
}

/** Measurements kept per font before they are started afresh (bounds the memory). */
const BOUNDS_MEMO_SIZE = 8192;

const memos = new Map<Font, Map<string, Bounds>>();

/** Makes `doc.boundsOfString` answer kept measurements while `font` is the document's font. */
export function memoizeBounds(doc: PDFKit.PDFDocument, font: Font): void {
  const state = doc as unknown as DocumentState;
  const measure: BoundsOfString = state.boundsOfString.bind(doc);
  state.boundsOfString = (text, x, y, options) => {
    const kept =
      typeof x === 'number' &&
      typeof y === 'number' &&
      typeof text === 'string' &&
      options?.width != null &&
      options.height != null &&
      !options.rotation &&
      state._textOptions == null &&
      state._font?.font === font;
    if (!kept) return measure(text, x, y, options);
    let key: string;
    try {
      key = `${state._fontSize}|${state._lineGap ?? 0}|${x}|${y}|${JSON.stringify(options)}|${text}`;
    } catch {
      return measure(text, x, y, options); // options that are not plain data (a structure parent)
    }
    let memo = memos.get(font);
    if (!memo || memo.size >= BOUNDS_MEMO_SIZE) {
      memo = new Map<string, Bounds>();
      memos.set(font, memo);
    }
    let bounds = memo.get(key);
    if (bounds) {
      // What pdfkit's measurement leaves behind: the position it was given.
      state.x = x;
      state.y = y;
    } else {
      bounds = measure(text, x, y, options);
      memo.set(key, bounds);
    }
    return { ...bounds };
  };
}
