/**
 * Code 39 barcodes drawn as vectors into a pdfkit page. bwip-js encodes the symbol (its `raw`
 * call: the widths of bars and spaces in modules); this file strokes one line per bar, as bwip-js's
 * own renderer does (bars of one width in one path), so bars print sharp at any resolution and no
 * image is encoded. bwip-js's rendering pipeline is not used: for a linear code it only turns the
 * same widths into the same lines, at about fifteen times the cost of the encoding.
 */
import bwipjs from 'bwip-js/node';

interface Placed {
  width: number;
  height: number;
}

/**
 * The layout bwip-js's renderer gave these bars (`scale: 2, height: 9`): a module 2 px wide, bars
 * 9 mm = 51 px tall in a 52 px high box; the box is scaled to the width asked for.
 */
const PX_PER_MODULE = 2;
const BAR_PX = 51;
const BOX_PX = 52;

/** Bar and space widths in modules, bar first (bwip-js's `sbs`). */
function code39Widths(text: string): number[] {
  const [symbol] = bwipjs.raw({ bcid: 'code39', text }) as { sbs?: number[] }[];
  if (!symbol?.sbs) throw new Error(`bwip-js gave no Code 39 bars for ${text}`);
  return symbol.sbs;
}

/** Draws `text` as Code 39 at (x, y), `widthPt` wide; returns the drawn size in points. */
export function drawCode39(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  widthPt: number,
): Placed {
  const widths = code39Widths(text);
  // Bars at their left edges (px); the box ends with the last bar, not the gap after it.
  const bars: { left: number; width: number }[] = [];
  let at = 0;
  widths.forEach((modules, i) => {
    if (i % 2 === 0) bars.push({ left: at, width: modules * PX_PER_MODULE });
    at += modules * PX_PER_MODULE;
  });
  const last = bars[bars.length - 1]!;
  const k = widthPt / (last.left + last.width);
  // One path per bar width (Code 39 has two), stroked once: the same bars as one stroke per bar,
  // with 900 fewer content lines on a slip (1,975 → 1,073; the colour and width were set per bar).
  const centresByWidth = new Map<number, number[]>();
  for (const bar of bars) {
    const centres = centresByWidth.get(bar.width) ?? [];
    centres.push(x + (bar.left + bar.width / 2) * k);
    centresByWidth.set(bar.width, centres);
  }
  doc.strokeColor('#000000');
  for (const [barWidth, centres] of centresByWidth) {
    doc.lineWidth(barWidth * k);
    for (const centre of centres) doc.moveTo(centre, y + BAR_PX * k).lineTo(centre, y);
    doc.stroke();
  }
  doc.fillColor('black');
  return { width: widthPt, height: BOX_PX * k };
}
