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
