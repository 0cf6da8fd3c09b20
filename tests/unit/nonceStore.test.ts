/** NonceStore: 32 random bytes per login, single use, five-minute lifetime, bounded memory. */
import { describe, expect, it } from 'vitest';
import { VerificationError } from '../../shared/authtoken/errors.ts';
import { NonceStore } from '../../shared/node/authtoken/nonceStore.ts';

const MINUTE = 60_000;

function clock(start = 1_700_000_000_000) {
  const state = { now: start };
  return { state, now: () => state.now };
}

function reasonOf(run: () => void): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VerificationError);
    expect((error as VerificationError).code).toBe('ERR_NONCE_INVALID');
    return String((error as VerificationError).details?.reason);
  }
  return 'accepted';
}

describe('NonceStore', () => {
  it('issues 44-character base64 nonces of 32 random bytes, all different', () => {
    const store = new NonceStore();
    const nonces = Array.from({ length: 200 }, () => store.issue());
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(nonce, 'base64')).toHaveLength(32);
    }
    expect(new Set(nonces).size).toBe(200);
  });

  it('accepts a nonce once (get-and-remove)', () => {
    const store = new NonceStore();
    const nonce = store.issue();
    expect(() => store.consume(nonce)).not.toThrow();
    expect(reasonOf(() => store.consume(nonce))).toMatch(/already used/);
    expect(store.size).toBe(0);
  });

  it('refuses a nonce it did not issue, and non-strings', () => {
    const store = new NonceStore();
    store.issue();
    expect(reasonOf(() => store.consume(Buffer.alloc(32).toString('base64')))).toMatch(/unknown/);
    expect(reasonOf(() => store.consume(''))).toMatch(/unknown/);
    expect(reasonOf(() => store.consume(undefined))).toMatch(/unknown/);
    expect(reasonOf(() => store.consume(42))).toMatch(/unknown/);
  });

  it('accepts a nonce up to its lifetime and refuses it after (injected clock)', () => {
    const { state, now } = clock();
    const store = new NonceStore({ now, ttlMs: 5 * MINUTE });
    const onTime = store.issue();
    const late = store.issue();
    state.now += 5 * MINUTE;
    expect(() => store.consume(onTime)).not.toThrow();
    state.now += 1;
    expect(reasonOf(() => store.consume(late))).toBe('expired');
  });

  it('an expired nonce is refused even when it is the only one', () => {
    const { state, now } = clock();
    const store = new NonceStore({ now });
    const nonce = store.issue();
    state.now += 5 * MINUTE + 1;
    // The default lifetime is five minutes.
    expect(reasonOf(() => store.consume(nonce))).toBe('expired');
    expect(store.size).toBe(0);
  });

  it('purges expired nonces as time goes on', () => {
    const { state, now } = clock();
    const store = new NonceStore({ now, ttlMs: MINUTE });
    for (let i = 0; i < 10; i++) store.issue();
    expect(store.size).toBe(10);
    state.now += 2 * MINUTE;
    const fresh = store.issue();
    expect(store.size).toBe(1);
    expect(() => store.consume(fresh)).not.toThrow();
  });

  it('keeps at most maxEntries nonces, dropping the oldest', () => {
    const store = new NonceStore({ maxEntries: 3 });
    const [first, second, third, fourth] = [store.issue(), store.issue(), store.issue(), store.issue()];
    expect(store.size).toBe(3);
    expect(reasonOf(() => store.consume(first))).toMatch(/unknown/);
    for (const nonce of [second, third, fourth]) expect(() => store.consume(nonce)).not.toThrow();
  });

  it('refuses nonsensical options', () => {
    expect(() => new NonceStore({ ttlMs: 0 })).toThrow(RangeError);
    expect(() => new NonceStore({ maxEntries: 0 })).toThrow(RangeError);
  });
});
