/** Random secrets for cookies and mailed links: only their SHA-256 is stored. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const newSecret = (): string => randomBytes(32).toString('base64url');
export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(secretHash(a), 'hex');
  const right = Buffer.from(secretHash(b), 'hex');
  return timingSafeEqual(left, right);
}
