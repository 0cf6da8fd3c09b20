/**
 * A small strict DER reader (definite lengths, minimal length octets, low tag numbers). The trust store
 * reads the few certificate fields it needs with it (so a certificate is parsed by the ASN.1 library
 * only once), and the CMS verifier takes from it the exact bytes that are hashed or signed, which the
 * ASN.1 library does not keep.
 */

export interface DerElement {
  tag: number;
  /** Offset of the tag octet. */
  start: number;
  /** Offset of the first content octet. */
  valueStart: number;
  /** Offset just past the element. */
  end: number;
}

export class DerError extends Error {}

export function readDer(buf: Uint8Array, offset = 0, limit = buf.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated header');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag number');
  const first = buf[offset + 1]!;
  let length = first;
  let valueStart = offset + 2;
  if (first >= 0x80) {
    const count = first & 0x7f;
    if (count === 0) throw new DerError('indefinite length');
    if (count > 4 || valueStart + count > limit) throw new DerError('bad length');
    if (buf[valueStart] === 0) throw new DerError('non-minimal length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[valueStart + i]!;
    if (length < 0x80) throw new DerError('non-minimal length');
    valueStart += count;
  }
  const end = valueStart + length;
  if (end > limit) throw new DerError('truncated value');
  return { tag, start: offset, valueStart, end };
}

/** The one element filling `buf` (no trailing bytes). */
export function readDerWhole(buf: Uint8Array): DerElement {
  const element = readDer(buf);
  if (element.end !== buf.length) throw new DerError('trailing data');
  return element;
}

export function derChildren(buf: Uint8Array, parent: DerElement): DerElement[] {
  if ((parent.tag & 0x20) === 0) throw new DerError('not constructed');
  const out: DerElement[] = [];
  for (let offset = parent.valueStart; offset < parent.end;) {
    const child = readDer(buf, offset, parent.end);
    out.push(child);
    offset = child.end;
  }
  return out;
}

export const derBytes = (buf: Uint8Array, element: DerElement) => buf.subarray(element.start, element.end);
export const derValue = (buf: Uint8Array, element: DerElement) =>
  buf.subarray(element.valueStart, element.end);

export function expectTag(element: DerElement | undefined, tag: number, what: string): DerElement {
  if (element?.tag !== tag) throw new DerError(`${what} expected`);
  return element;
}

/** INTEGER content octets → canonical hex (leading zero octets dropped): serial number comparisons. */
export function serialHex(bytes: ArrayBuffer | Uint8Array): string {
  const hex = Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex');
  const trimmed = hex.replace(/^(00)+/, '');
  return trimmed === '' ? '00' : trimmed;
}

export function decodeOid(content: Uint8Array): string {
  if (content.length === 0 || content[content.length - 1]! & 0x80) throw new DerError('bad OID');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of content) {
    if (value === 0 && byte === 0x80) throw new DerError('non-minimal OID arc');
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OID arc too large');
    if ((byte & 0x80) === 0) {
      if (arcs.length === 0)
        arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

/** UTCTime / GeneralizedTime as DER allows them (seconds, Z), in ms since the epoch. */
export function decodeTime(buf: Uint8Array, element: DerElement): number {
  const text = Buffer.from(derValue(buf, element)).toString('latin1');
  const match =
    element.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : element.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (!match) throw new DerError('bad time');
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0] = match.slice(1).map(Number);
  const year = element.tag === 0x17 ? (y >= 50 ? 1900 + y : 2000 + y) : y;
  const time = Date.UTC(year, mo - 1, d, h, mi, se);
  const check = new Date(time);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) {
    throw new DerError('bad time');
  }
  if (!Number.isFinite(time)) throw new DerError('bad time');
  return time;
}
