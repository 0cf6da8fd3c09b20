/** The background (service worker in Chrome/Edge, event page in Firefox): wires the parts. */
import browser from 'webextension-polyfill';
import { consentStore } from './consent.ts';
import { NativePort } from './nativePort.ts';
import { handlePageRequest, isPageRequest } from './pageRequests.ts';
import { askClerk, onWindowClosed } from './prompts.ts';
import { loadOriginSettings, loadUiLanguage } from './settings.ts';
import { buildSelfCheck, handleUiRequest, isOwnPage, isUiRequest } from './uiRequests.ts';
import { SELFCHECK_PORT } from '../lib/uiProtocol.ts';

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
  if (isUiRequest(message)) return isOwnPage(sender) ? handleUiRequest(message, port, askClerk) : undefined;
  if (!isPageRequest(message)) return undefined;
  // The origin comes from the browser: Chrome fills sender.origin, Firefox only sender.url.
  const origin =
    (sender as { origin?: string }).origin ?? (sender.url ? new URL(sender.url).origin : undefined);
  return handlePageRequest(message, origin, {
    port,
    settings: loadOriginSettings,
    extensionVersion: browser.runtime.getManifest().version,
    askClerk,
    nhiConsent: consentStore('nhiConsent'),
    certificateConsent: consentStore('certificateConsent'),
    language: loadUiLanguage,
  });
});

// Closing a prompt window is the clerk's "cancel".
browser.windows.onRemoved.addListener((windowId) => onWindowClosed(windowId));

// The self-check page keeps a port open: while it is, host events (cards in and out) reach it.
browser.runtime.onConnect.addListener((page) => {
  if (page.name !== SELFCHECK_PORT || !isOwnPage(page.sender ?? {})) return;
  const stop = port.onEvent(({ event }) => {
    if (event !== 'readers-changed' && event !== 'host-disconnected') return;
    void buildSelfCheck(port).then(
      (report) => page.postMessage(report),
      () => undefined,
    );
  });
  page.onDisconnect.addListener(stop);
  // Subscribing needs a connection: make one now, so the page gets events without a click.
  void port.ensureConnected().catch(() => undefined);
});
