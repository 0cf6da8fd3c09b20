/**
 * One way to make the portal's PDFs (pdfkit): A4, the CJK font embedded (subset, so Traditional
 * Chinese text stays extractable), fixed metadata so the same input gives the same bytes.
 */
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';

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

export interface PdfHandle {
  doc: PDFKit.PDFDocument;
  /** Resolves with the finished file once `doc.end()` has been called. */
  done: Promise<Buffer>;
}

/** A new A4 document with the CJK font selected; the caller draws and calls `doc.end()`. */
export function newPdf(font: CjkFont, title: string, created: Date): PdfHandle {
  const doc = new PDFDocument({
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
  doc.registerFont('cjk', font.path, font.family);
  doc.font('cjk');
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, done };
}
