/**
 * The text of an uploaded CSV: what Excel in Taiwan saves is either UTF-8 ("CSV UTF-8", with a
 * byte-order mark) or Big5 — really Windows code page 950 ("CSV (逗號分隔)"). Bytes that are valid
 * UTF-8 are read as UTF-8 (Big5 text with any Chinese character is never valid UTF-8), anything else
 * as CP950; text that still holds undecodable bytes or control characters (UTF-16, a binary file)
 * is refused rather than guessed at.
 */
import iconv from 'iconv-lite';
import { PortalError } from '../../../shared/portal/errors.ts';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'big5';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;
// Tab, LF and CR are part of CSV; any other C0/C1 control (NUL of UTF-16, binary data) is not text.
// eslint-disable-next-line no-control-regex
const NOT_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD]/;

function utf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function decodeCsvText(bytes: Uint8Array): DecodedText {
  const hasBom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const asUtf8 = utf8(hasBom ? bytes.subarray(3) : bytes);
  const decoded: DecodedText =
    asUtf8 !== undefined
      ? { text: asUtf8, encoding: hasBom ? 'utf-8-bom' : 'utf-8' }
      : { text: iconv.decode(Buffer.from(bytes), 'cp950'), encoding: 'big5' };
  if (NOT_TEXT.test(decoded.text)) {
    throw new PortalError('ERR_PORTAL_BATCH_ENCODING', {
      field: 'content',
      detail: `not UTF-8 or CP950 text (tried ${decoded.encoding})`,
    });
  }
  return decoded;
}
