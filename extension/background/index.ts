/** The background (service worker in Chrome/Edge, event page in Firefox): wires the parts. */
import browser from 'webextension-polyfill';
import { NativePort } from './nativePort.ts';
import { handlePageRequest, isPageRequest } from './pageRequests.ts';
import { loadOriginSettings } from './settings.ts';

/** The oldest host this extension works with. */
const MIN_HOST_VERSION = '0.1.0';

const port = new NativePort({
  connect: (host) => browser.runtime.connectNative(host),
  lastError: (p) =>
    (p as { error?: { message?: string } }).error?.message ??
    (globalThis as { chrome?: { runtime?: { lastError?: { message?: string } } } }).chrome?.runtime?.lastError
      ?.message,
  minHostVersion: MIN_HOST_VERSION,
});

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  if (!isPageRequest(message)) return undefined;
  // The origin comes from the browser: Chrome fills sender.origin, Firefox only sender.url.
  const origin =
    (sender as { origin?: string }).origin ?? (sender.url ? new URL(sender.url).origin : undefined);
  return handlePageRequest(message, origin, {
    port,
    settings: loadOriginSettings,
    extensionVersion: browser.runtime.getManifest().version,
  });
});

// Exposed for the browser tests (worker.evaluate in Chromium).
(globalThis as { cardBridgePort?: NativePort }).cardBridgePort = port;
