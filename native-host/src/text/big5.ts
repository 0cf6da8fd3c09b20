/**
 * Big5 text from NHI cards. Names may use HKSCS characters, so decode as Big5-HKSCS (a superset of
 * Big5/CP950); Node's built-in 'big5' decoder maps those to private-use code points instead.
 */
import iconv from 'iconv-lite';

export function decodeBig5(bytes: Buffer): string {
  return iconv.decode(bytes, 'big5hkscs');
}
