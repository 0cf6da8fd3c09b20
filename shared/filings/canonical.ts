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

/** A value with no canonical form, found at `path` (the keys and indexes down to it). */
class Unwritable extends Error {
  constructor(
    readonly reason: string,
    readonly path: readonly (string | number)[],
  ) {
    super(reason);
  }
}

/** Where write() is: keys and indexes pushed on the way down, turned into text only on a refusal. */
const at: (string | number)[] = [];

// Printable ASCII without quote or backslash: NFC already, and JSON.stringify would only add quotes.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const text = (s: string) => (PLAIN.test(s) ? `"${s}"` : JSON.stringify(s.normalize('NFC')));

// Plain loops and string appends: a 5,000-filing submission is written twice per batch (the row
// duplicate check, the signed bytes), and arrays of entries and of parts made most of that cost.
function write(value: unknown): string {
  if (typeof value === 'string') return text(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Unwritable('only safe integers are allowed', [...at]);
    return String(value);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      at.push(i);
      out += write(value[i]);
      at.pop();
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
      at.push(key);
      out += `${text(key)}:${write(v)}`;
      at.pop();
    }
    return `${out}}`;
  }
  throw new Unwritable(`${value === null ? 'null' : typeof value} has no canonical form`, [...at]);
}

/** Canonical JSON text of a plain value (see the rules above). */
export function canonicalJson(value: unknown): string {
  at.length = 0;
  try {
    return write(value);
  } catch (error) {
    if (error instanceof Unwritable) {
      const path = error.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('');
      throw new CanonicalFormError(`$${path}: ${error.reason}`);
    }
    throw error;
  } finally {
    at.length = 0;
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
