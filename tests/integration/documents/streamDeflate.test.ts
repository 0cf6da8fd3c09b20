/**
 * Streams deflated at the portal's level against pdfkit's own: at zlib's default level the file is
 * pdfkit's byte for byte; at DOCUMENT_DEFLATE_LEVEL every stream inflates to the same bytes as in
 * pdfkit's file (the page's content made before the hook was set included), and the rest of the file
 * differs only in the streams and their lengths.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_DEFLATE_LEVEL, deflateStreamsAt } from '../../../portal/src/documents/streamDeflate.ts';

async function file(level: number | null): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', info: { CreationDate: new Date(0) } });
  if (level !== null) deflateStreamsAt(doc, level);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.fontSize(12).text('E-payment slip '.repeat(40));
  doc.table({
    data: [
      ['Unit', 'CardBridge'],
      ['Total', 'NT$ 1,234'],
    ],
  });
  doc.addPage().text('page two');
  doc.end();
  return done;
}

/** The file with each stream replaced by its inflated bytes, and the lengths blanked. */
function inflated(pdf: Buffer): { streams: Buffer[]; deflated: Buffer[]; rest: string } {
  const text = pdf.toString('latin1');
  const streams: Buffer[] = [];
  const deflated: Buffer[] = [];
  let rest = '';
  let at = 0;
  const start = /\/Length (\d+)\n(?:[^]*?)>>\nstream\n/g;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    const from = m.index + m[0].length;
    const length = Number(m[1]);
    deflated.push(pdf.subarray(from, from + length));
    streams.push(inflateSync(pdf.subarray(from, from + length)));
    rest += text.slice(at, m.index) + m[0].replace(/\/Length \d+/, '/Length ?');
    at = from + length;
    start.lastIndex = at;
  }
  rest += text
    .slice(at)
    .replace(/\d{10} 00000 n/g, 'offset')
    .replace(/startxref\n\d+/, 'startxref');
  return { streams, deflated, rest: rest.replace(/\d{10} 00000 n/g, 'offset') };
}

describe('document streams deflated at the portal level', () => {
  it('are pdfkit’s file at zlib’s default level', async () => {
    expect((await file(6)).equals(await file(null))).toBe(true);
  });

  it(`hold the same data at level ${DOCUMENT_DEFLATE_LEVEL}`, async () => {
    expect(DOCUMENT_DEFLATE_LEVEL).not.toBe(6);
    const ours = await file(DOCUMENT_DEFLATE_LEVEL);
    const pdfkit = await file(null);
    expect(ours.equals(pdfkit)).toBe(false);
    const a = inflated(ours);
    const b = inflated(pdfkit);
    expect(a.streams.length).toBe(2); // the two pages' content; the first made before the hook
    expect(a.streams).toEqual(b.streams);
    expect(a.rest).toBe(b.rest);
    a.streams.forEach((stream, i) => {
      expect(a.deflated[i]!.equals(deflateSync(stream, { level: DOCUMENT_DEFLATE_LEVEL }))).toBe(true);
    });
  });
});
