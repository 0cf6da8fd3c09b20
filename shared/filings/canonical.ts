/**
 * The canonical bytes of a submission: what the clerk signs (a detached CMS, or the NHI-card
 * challenge derived from its hash). Deterministic JSON, documented in ./README.md:
 * - objects: keys sorted by UTF-16 code units (JavaScript's default sort), properties whose value is
 *   undefined left out; arrays in their order;
 * - strings NFC-normalised, written by JSON.stringify (quotes, backslash and controls escaped, other
 *   characters as themselves);
 * - numbers only safe integers; booleans; no null, no other types;
 * - no whitespace between tokens; encoded as UTF-8 without a byte-order mark.
 * Browser-safe: TextEncoder and Web Crypto only.
 */
import type { Submission } from './contracts.ts';

export class CanonicalFormError extends Error {}

/** A value with no canonical form; `path` is filled in on the way out (no path text is built otherwise). */
class Unwritable extends Error {
  readonly path: string[] = [];
  constructor(readonly reason: string) {
    super(reason);
  }
}

function within(error: unknown, segment: string): unknown {
  if (error instanceof Unwritable) error.path.unshift(segment);
  return error;
}

// Plain loops and string appends: a 5,000-filing submission is written twice per batch (the row
// duplicate check, the signed bytes), and arrays of entries and of parts made most of that cost.
function write(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.normalize('NFC'));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Unwritable('only safe integers are allowed');
    return String(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      try {
        out += write(value[i]);
      } catch (error) {
        throw within(error, `[${i}]`);
      }
    }
    return `${out}]`;
  }
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const record = value as Record<string, unknown>;
    // Default sort: by UTF-16 code units, as documented.
    const keys = Object.keys(record).sort();
    let out = '{';
    for (const key of keys) {
      const v = record[key];
      if (v === undefined) continue;
      if (out.length > 1) out += ',';
      try {
        out += `${JSON.stringify(key.normalize('NFC'))}:${write(v)}`;
      } catch (error) {
        throw within(error, `.${key}`);
      }
    }
    return `${out}}`;
  }
  throw new Unwritable(`${value === null ? 'null' : typeof value} has no canonical form`);
}

/** Canonical JSON text of a plain value (see the rules above). */
export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (error) {
    if (error instanceof Unwritable) throw new CanonicalFormError(`$${error.path.join('')}: ${error.reason}`);
    throw error;
  }
}

/** The canonical text of a submission and its bytes (the text is what the portal stores). */
export function canonicalForm(submission: Submission): { text: string; bytes: Uint8Array<ArrayBuffer> } {
  const text = canonicalJson(submission);
  return { text, bytes: new TextEncoder().encode(text) };
}

/** The bytes the clerk signs for a submission (check it against the Submission schema first). */
export function canonicalBytes(submission: Submission): Uint8Array<ArrayBuffer> {
  return canonicalForm(submission).bytes;
}

/** SHA-256 of the canonical bytes: the submission hash, stored and shown with the receipt. */
export async function submissionHash(submission: Submission): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', canonicalBytes(submission)));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * What an NHI-card clerk's card answers for a submission: this text takes the place of the login
 * nonce in the origin-bound challenge (shared/nhi/samEmulation.ts challengeFor(origin, nonce)). The
 * prefix keeps it apart from login nonces, which are base64 and never contain ':'.
 */
export function filingChallengeNonce(hash: Uint8Array): string {
  if (hash.length !== 32) throw new RangeError('a submission hash is 32 bytes (SHA-256)');
  return `cardbridge-filing-v1:${toHex(hash)}`;
}
