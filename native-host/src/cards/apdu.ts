/** APDU helpers shared by the card drivers. */

export interface ResponseApdu {
  data: Buffer;
  sw: number;
}

export function hex(text: string): Buffer {
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`bad hex: ${text}`);
  return Buffer.from(clean, 'hex');
}

export function splitResponse(response: Buffer): ResponseApdu {
  if (response.length < 2) return { data: Buffer.alloc(0), sw: 0 };
  return { data: response.subarray(0, -2), sw: response.readUInt16BE(response.length - 2) };
}

export function swHex(sw: number): string {
  return sw.toString(16).padStart(4, '0');
}

export const SW_OK = 0x9000;
