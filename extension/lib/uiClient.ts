/** How the extension's pages call the background. */
import browser from 'webextension-polyfill';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import type { UiRequest, UiResponse } from './uiProtocol.ts';

/** A UI request without its `type` tag (added here). */
type Body = UiRequest extends infer R ? (R extends UiRequest ? Omit<R, 'type'> : never) : never;

export async function ui<T>(body: Body): Promise<T> {
  const response = await browser.runtime.sendMessage<unknown, UiResponse<T>>({
    type: 'cardbridge/ui',
    ...body,
  });
  if (!response.ok) throw new CardBridgeError(response.code, response.code);
  return response.result;
}
