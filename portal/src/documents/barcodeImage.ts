/** Code 39 barcodes as PNG images, made by bwip-js (the text printed under the bars by it too). */
import { toBuffer } from 'bwip-js/node';

export function code39Png(text: string): Promise<Buffer> {
  return toBuffer({
    bcid: 'code39',
    text,
    scale: 3,
    height: 9,
    includetext: true,
    textxalign: 'center',
    textsize: 9,
    paddingwidth: 6,
  });
}
