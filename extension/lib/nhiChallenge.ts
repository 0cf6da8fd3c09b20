/**
 * The NHI-card login challenge (shared/nhi/challenge.ts: the SHA-256 login binding, the same function
 * the portal's SAM emulation checks against) and its base64 form for the host. The origin is never
 * taken from page data.
 */
export { nhiChallenge } from '../../shared/nhi/challenge.ts';

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}
