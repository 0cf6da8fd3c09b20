/**
 * The page API's wire format (page ↔ content script, by window.postMessage), shared by the content
 * script and the page library. A request is `{action: "cardbridge:<name>", …arguments}`; the content
 * script answers `<action>-ack` at once, then `<action>-success` with the result or `<action>-failure`
 * with `{code, message}`.
 */
export const PAGE_ACTIONS = ['status', 'read-nhi-card', 'get-certificates', 'authenticate', 'sign'] as const;
export type PageAction = (typeof PAGE_ACTIONS)[number];

export const ACTION_PREFIX = 'cardbridge:';

export function actionName(message: unknown): PageAction | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const action = (message as { action?: unknown }).action;
  if (typeof action !== 'string' || !action.startsWith(ACTION_PREFIX)) return undefined;
  const name = action.slice(ACTION_PREFIX.length);
  return (PAGE_ACTIONS as readonly string[]).includes(name) ? (name as PageAction) : undefined;
}

/** Content script → background. */
export interface PageRequestMessage {
  type: 'cardbridge/page-request';
  action: PageAction;
  payload: Record<string, unknown>;
}

/** Background → content script. */
export type PageResponseMessage =
  | { ok: true; result: unknown }
  | { ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };
