/**
 * The zlib level a document's streams are deflated at. pdfkit deflates every stream (the embedded
 * font subset, the page's content, the text map) at zlib's default level 6 and has no option for
 * it; deflating is the largest single cost of a slip left (about a sixth of its CPU, mostly the font
 * subset, whose glyph outlines compress little whatever the level). At level 3 a slip's streams
 * deflate in about a quarter less CPU, and the file is 3% larger (32.4 → 33.3 KB; level 1 saves no
 * more time and adds 5%).
 *
 * The stream is written as pdfkit writes it (same dictionary, /FlateDecode, the /Length of the
 * deflated bytes, then pdfkit's own encryption if any); at level 6 the file is pdfkit's byte for byte.
 */
import { deflateSync } from 'node:zlib';

export const DOCUMENT_DEFLATE_LEVEL = 3;

/** The members of pdfkit's PDFReference this module reads and sets (not in pdfkit's types). */
interface Reference {
  compress: boolean;
  buffer: Uint8Array[];
  finalize(): void;
}

function deflateAt(reference: Reference, level: number): void {
  const finalize = reference.finalize.bind(reference);
  reference.finalize = () => {
    // pdfkit has already set /Filter /FlateDecode when the data was written; it then deflates in
    // finalize when `compress` is on: done here instead, and pdfkit told the data is ready.
    if (reference.compress && reference.buffer.length) {
      reference.buffer = [deflateSync(Buffer.concat(reference.buffer), { level })];
      reference.compress = false;
    }
    finalize();
  };
}

/** Makes every stream of `doc` deflate at `level`: the current page's content and all made later. */
export function deflateStreamsAt(doc: PDFKit.PDFDocument, level = DOCUMENT_DEFLATE_LEVEL): void {
  const state = doc as unknown as { ref(data?: object): Reference; page?: { content?: Reference } };
  if (state.page?.content) deflateAt(state.page.content, level);
  const ref = state.ref.bind(doc);
  state.ref = (data?: object) => {
    const reference = ref(data);
    deflateAt(reference, level);
    return reference;
  };
}
