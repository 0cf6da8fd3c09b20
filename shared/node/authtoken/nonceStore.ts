/**
 * Login challenges (nonces) on the server: issued once per login page, consumed once when the token
 * comes back. verifyAuthToken() only checks that the token was signed for the nonce it is given; that
 * the nonce was issued by this server, is fresh and is used once is this store's job:
 *
 *   const nonce = nonces.issue();                    // send to the page
 *   …
 *   nonces.consume(nonceFromSession);                // throws ERR_NONCE_INVALID
 *   await verifyAuthToken(token, { origin, nonce: nonceFromSession, trust });
 *
 * In-memory and per process: a server with several processes needs a shared store with the same rules.
 */
import { randomBytes } from 'node:crypto';
import { VerificationError } from '../../authtoken/errors.ts';

export interface NonceStoreOptions {
  /** How long an issued nonce stays usable (default 5 minutes). */
  ttlMs?: number;
  /** Clock, for tests (default Date.now). */
  now?: () => number;
  /**
   * Most nonces kept at once (default 100,000). When full, expired nonces are dropped first, then the
   * oldest ones: a flood of issue() calls can cut short a pending login but never grows memory.
   */
  maxEntries?: number;
}

/** 32 random bytes, base64: 44 characters. */
export const NONCE_BYTES = 32;

export class NonceStore {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly maxEntries: number;
  /** nonce → expiry (ms). Insertion order is expiry order (one TTL for all). */
  private readonly entries = new Map<string, number>();

  constructor(options: NonceStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
    this.maxEntries = options.maxEntries ?? 100_000;
    if (!(this.ttlMs > 0) || !(this.maxEntries >= 1)) throw new RangeError('NonceStore: bad options');
  }

  issue(): string {
    const now = this.now();
    this.purge(now);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    const nonce = randomBytes(NONCE_BYTES).toString('base64');
    this.entries.set(nonce, now + this.ttlMs);
    return nonce;
  }

  /** Single use: the nonce is removed whatever the outcome. Throws ERR_NONCE_INVALID. */
  consume(nonce: unknown): void {
    const now = this.now();
    const expires = typeof nonce === 'string' ? this.entries.get(nonce) : undefined;
    if (typeof nonce === 'string') this.entries.delete(nonce);
    this.purge(now);
    if (expires === undefined) {
      throw new VerificationError('ERR_NONCE_INVALID', { reason: 'unknown or already used' });
    }
    if (now > expires) throw new VerificationError('ERR_NONCE_INVALID', { reason: 'expired' });
  }

  /** Nonces currently kept (expired ones may linger until the next call). */
  get size(): number {
    return this.entries.size;
  }

  private purge(now: number): void {
    for (const [nonce, expires] of this.entries) {
      if (expires >= now) break;
      this.entries.delete(nonce);
    }
  }
}
