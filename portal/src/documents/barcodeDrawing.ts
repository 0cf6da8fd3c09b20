/**
 * Code 39 barcodes drawn as vectors into a pdfkit page. bwip-js encodes the symbol and lays out its
 * bars; this file only carries bwip-js's drawing calls (its documented custom-drawing interface) over
 * to pdfkit's path operators, so bars print sharp at any resolution and no image is encoded.
 */
import { render, type DrawingContext } from 'bwip-js/node';

interface Placed {
  width: number;
  height: number;
}

function pdfkitDrawing(
  doc: PDFKit.PDFDocument,
  x: number,
  y: number,
  widthPt: number,
): DrawingContext<Placed> {
  let k = 1;
  let size: Placed = { width: 0, height: 0 };
  const at = (px: number, py: number): [number, number] => [x + px * k, y + py * k];
  const path = (points: ReadonlyArray<[number, number]>) => {
    const [first, ...rest] = points;
    if (!first) return;
    doc.moveTo(...at(first[0], first[1]));
    for (const [px, py] of rest) doc.lineTo(...at(px, py));
    doc.closePath();
  };
  return {
    scale: () => null,
    measure: () => ({ width: 0, ascent: 0, descent: 0 }),
    init(width, height) {
      k = widthPt / width;
      size = { width: widthPt, height: height * k };
    },
    line(x0, y0, x1, y1, lw, rgb) {
      doc
        .moveTo(...at(x0, y0))
        .lineTo(...at(x1, y1))
        .lineWidth(lw * k)
        .stroke(`#${rgb}`);
    },
    polygon: path,
    hexagon: path,
    ellipse(cx, cy, rx, ry) {
      doc.ellipse(...at(cx, cy), rx * k, ry * k);
    },
    fill(rgb) {
      doc.fill(`#${rgb}`);
    },
    text: () => undefined,
    end: () => size,
  };
}

/** Draws `text` as Code 39 at (x, y), `widthPt` wide; returns the drawn size in points. */
export function drawCode39(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  widthPt: number,
): Placed {
  const placed = render(
    { bcid: 'code39', text, scale: 2, height: 9, includetext: false },
    pdfkitDrawing(doc, x, y, widthPt),
  );
  doc.fillColor('black');
  return placed;
}
