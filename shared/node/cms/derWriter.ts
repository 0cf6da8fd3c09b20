/** Minimal DER writing for the few structures the ASN.1 classes do not cover (RFC 8825 / X.690). */

export function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
}

export const derSequence = (...content: Uint8Array[]) => tlv(0x30, ...content);
export const derOctetString = (value: Uint8Array) => tlv(0x04, value);

/** SET OF in DER: elements sorted by their encodings (X.690 §11.6). */
export function derSetOf(elements: Uint8Array[]): Buffer {
  const sorted = [...elements].map((e) => Buffer.from(e)).sort((a, b) => Buffer.compare(a, b));
  return tlv(0x31, ...sorted);
}

/** Converts an IEEE P1363 ECDSA signature (r ‖ s) to DER ECDSA-Sig-Value, as CMS wants it. */
export function ecdsaRawToDer(raw: Uint8Array): Buffer {
  const half = raw.length / 2;
  const integer = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const trimmed = Buffer.from(bytes.subarray(i));
    return tlv(0x02, trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
  };
  return derSequence(integer(raw.subarray(0, half)), integer(raw.subarray(half)));
}
