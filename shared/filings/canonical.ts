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

/** An object literal's kind of value: arrays and class instances have no canonical form. */
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.getPrototypeOf(value) === Object.prototype;

// Plain loops and string appends (arrays of entries and of parts cost more); the common case goes
// through sorted() and JSON.stringify below instead.
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
  if (isPlainObject(value)) {
    const record = value;
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

/** Thrown by sorted(): the value needs the general writer (to normalise, or to refuse with a path). */
class NotPlain extends Error {}

/** The key order of the last object met, and that order sorted: the objects of a batch share one or two. */
let lastKeys: readonly string[] = [];
let lastSorted: readonly string[] = [];

function sortedKeys(keys: readonly string[]): readonly string[] {
  if (keys.length === lastKeys.length && keys.every((k, i) => k === lastKeys[i])) return lastSorted;
  for (const key of keys) {
    const c = key.charCodeAt(0);
    // An integer-like key would be written first by JSON.stringify, whatever its sort place;
    // __proto__ cannot be set as a plain property; text that may need NFC goes the general way.
    if ((c >= 0x30 && c <= 0x39) || key === '__proto__' || !PLAIN.test(key)) throw new NotPlain();
  }
  lastKeys = keys;
  lastSorted = [...keys].sort();
  return lastSorted;
}

/**
 * A copy of the value with every object's keys in canonical order, or NotPlain. JSON.stringify of
 * that copy is the canonical text: it writes strings exactly as text() does once they are NFC
 * already, and leaves out undefined properties. Native writing of 40,000 values instead of
 * string appends made the 5,000-filing form several times cheaper.
 */
function sorted(value: unknown): unknown {
  if (typeof value === 'string') {
    if (PLAIN.test(value) || value.normalize('NFC') === value) return value;
    throw new NotPlain();
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
    throw new NotPlain();
  }
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = sorted(value[i]);
    return out;
  }
  if (isPlainObject(value)) {
    const record = value;
    const out: Record<string, unknown> = {};
    for (const key of sortedKeys(Object.keys(record))) {
      const v = record[key];
      if (v !== undefined) out[key] = sorted(v);
    }
    return out;
  }
  throw new NotPlain();
}

/** The sorted key list the heads below were made for, and `{"key":` / `,"key":` of each key. */
let headsFor: readonly string[] = [];
let heads: readonly string[] = [];

/**
 * The text of a flat object (a filing: strings, integers, booleans only), written straight from
 * its values in the kept key order, without the sorted copy; undefined when a value is anything
 * else (the copy below then takes it). About a third cheaper a filing than copy and stringify.
 */
function flatText(record: Record<string, unknown>): string | undefined {
  const keys = sortedKeys(Object.keys(record));
  if (keys !== headsFor) {
    heads = keys.map((key, i) => `${i === 0 ? '{' : ','}"${key}":`);
    headsFor = keys;
  }
  if (keys.length === 0) return '{}';
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    const v = record[keys[i]!];
    if (typeof v === 'string') {
      if (PLAIN.test(v)) out += `${heads[i]!}"${v}"`;
      else if (v.normalize('NFC') === v) out += heads[i]! + JSON.stringify(v);
      else throw new NotPlain();
    } else if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new NotPlain();
      out += heads[i]! + String(v);
    } else if (typeof v === 'boolean') out += heads[i]! + (v ? 'true' : 'false');
    else return undefined;
  }
  return `${out}}`;
}

/** Canonical JSON text of a plain value (see the rules above). */
export function canonicalJson(value: unknown): string {
  try {
    const flat = isPlainObject(value) ? flatText(value) : undefined;
    return flat ?? JSON.stringify(sorted(value));
  } catch (error) {
    if (!(error instanceof NotPlain)) throw error;
  }
  return canonicalJsonByParts(value);
}

/**
 * The same text written part by part: the reference the fast path is tested against, and the way
 * for values it leaves (text to normalise, integer-like keys, and refusals, named by their path).
 */
export function canonicalJsonByParts(value: unknown): string {
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

export interface CanonicalForm {
  /** The canonical text (what the portal stores) and its UTF-8 bytes (what the clerk signs). */
  text: string;
  bytes: Uint8Array<ArrayBuffer>;
  /** Each filing's own canonical text, in order: exactly the parts of `text` between the list's commas. */
  filings: string[];
}

// "filings" sorts before the submission's other keys, so its list opens the text.
const FILINGS_HEAD = '{"filings":[';

/**
 * The canonical text of a submission, written filing by filing: the portal keeps each filing's part
 * as its row's JSON, so a batch is not written twice. Same text as canonicalJson(submission), which
 * also answers whatever does not fit this way (and names the path of a refusal).
 */
export function canonicalForm(submission: Submission): CanonicalForm {
  let filings: string[] | undefined;
  let text: string | undefined;
  if (Array.isArray(submission.filings)) {
    try {
      filings = submission.filings.map((f) => canonicalJson(f));
      const rest = canonicalJson({ ...submission, filings: [] });
      if (rest.startsWith(`${FILINGS_HEAD}]`))
        text = `${FILINGS_HEAD}${filings.join(',')}${rest.slice(FILINGS_HEAD.length)}`;
    } catch (error) {
      if (!(error instanceof CanonicalFormError)) throw error;
    }
  }
  if (text === undefined || filings === undefined) {
    text = canonicalJson(submission);
    filings = submission.filings.map((f) => canonicalJson(f));
  }
  return { text, bytes: new TextEncoder().encode(text), filings };
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
