/**
 * The NHI-card login challenge, computed in the extension with WebCrypto:
 * SHA-256(SHA-256(origin) ‖ SHA-256(nonce)). Same rule as challengeFor in shared/nhi/samEmulation.ts
 * (which the portal uses); the origin is never taken from page data.
 */
const encoder = new TextEncoder();

async function sha256(data: BufferSource): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', data));
}

export async function nhiChallenge(origin: string, nonce: string): Promise<Uint8Array> {
  const [h1, h2] = await Promise.all([sha256(encoder.encode(origin)), sha256(encoder.encode(nonce))]);
  const joined = new Uint8Array(h1.length + h2.length);
  joined.set(h1);
  joined.set(h2, h1.length);
  return sha256(joined);
}

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}
