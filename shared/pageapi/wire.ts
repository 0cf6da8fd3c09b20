/**
 * The page API's wire format, light enough for the content script that runs on every page (no
 * schema code at run time; the schemas are in actions.ts). Page ↔ content script, by
 * window.postMessage: a request is `{action: "cardbridge:<name>", requestId, …payload}`; the content
 * script answers `<action>-ack` at once, then `<action>-success` with `result` or `<action>-failure`
 * with an error body `{code, message, details?}`. Content script ↔ background: the messages below.
 */
import type { ErrorBody } from '../protocol/messages.ts';

/**
 * The actions a page may ask for. actions.ts holds one payload and one reply schema for each, and its
 * table `satisfies` a record of exactly these names, so the two cannot drift apart.
 */
export const PAGE_ACTION_NAMES = [
  'status',
  'read-nhi-card',
  'get-certificates',
  'authenticate',
  'sign',
] as const;
export type PageActionName = (typeof PAGE_ACTION_NAMES)[number];

export const ACTION_PREFIX = 'cardbridge:';

/** The action a page message asks for, if it is one of the page API's. */
export function actionName(message: unknown): PageActionName | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const action = (message as { action?: unknown }).action;
  if (typeof action !== 'string' || !action.startsWith(ACTION_PREFIX)) return undefined;
  const name = action.slice(ACTION_PREFIX.length);
  return (PAGE_ACTION_NAMES as readonly string[]).includes(name) ? (name as PageActionName) : undefined;
}

/** Content script → background. The payload is checked by the background against actions.ts. */
export interface PageRequestMessage {
  type: 'cardbridge/page-request';
  action: PageActionName;
  payload: Record<string, unknown>;
}

/** Background → content script → page: the error body is the host protocol's, same closed codes. */
export type PageResponseMessage = { ok: true; result: unknown } | { ok: false; error: ErrorBody };

/**
 * What a page payload may be: JSON data of bounded size and depth. Every payload the page API
 * documents is a few short strings, so anything larger or deeper is hostile, not a real request.
 */
export const PAGE_PAYLOAD_LIMITS = { maxChars: 64 * 1024, maxDepth: 8 } as const;

/** Keys that could reach an object's prototype if a later step ever assigned them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A fresh copy of a page payload as plain JSON data, or undefined when it is not: a value of another
 * kind (BigInt, Map, Date, ArrayBuffer, a cycle, which ends at the depth limit…), a prototype key,
 * or beyond PAGE_PAYLOAD_LIMITS. Kinds are told by Object.prototype.toString, not prototypes: in Firefox the content script sees the
 * page's objects through Xray wrappers whose prototypes are the page's. The content script refuses
 * such a payload with ERR_BAD_REQUEST before anything is sent; the background checks again.
 */
export function plainPayload(payload: unknown): Record<string, unknown> | undefined {
  let chars = 0;
  const copy = (value: unknown, depth: number): unknown => {
    if (depth > PAGE_PAYLOAD_LIMITS.maxDepth) throw new RangeError('too deep');
    // Every value counts at least one character, so a long array of small numbers is large too.
    chars += typeof value === 'string' ? value.length + 1 : 1;
    if (chars > PAGE_PAYLOAD_LIMITS.maxChars) throw new RangeError('too large');
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new TypeError('not a finite number');
      return value;
    }
    if (typeof value === 'string') return value;
    if (typeof value !== 'object') throw new TypeError(typeof value);
    if (Array.isArray(value)) return Array.from(value as unknown[], (item) => copy(item, depth + 1));
    if (Object.prototype.toString.call(value) !== '[object Object]') throw new TypeError('not plain');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) throw new TypeError(key);
      chars += key.length;
      const item = (value as Record<string, unknown>)[key];
      // An absent optional field, as JSON leaves it out.
      if (item !== undefined) out[key] = copy(item, depth + 1);
    }
    return out;
  };
  try {
    const result = copy(payload, 0);
    return typeof result === 'object' && result !== null && !Array.isArray(result)
      ? (result as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
