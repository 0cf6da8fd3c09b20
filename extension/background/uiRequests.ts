/**
 * Requests from the extension's own pages. The self-check report is assembled here: browser, host,
 * smart-card service, readers and cards, certificates — each part failing on its own, so a missing
 * host still gives a full, readable report.
 */
import browser from 'webextension-polyfill';
import type { SelfCheckReport, SettingsView, UiRequest, UiResponse } from '../lib/uiProtocol.ts';
import { checkClock } from './clockCheck.ts';
import { detectBrowser, detectOs } from './environment.ts';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import type { NativePort } from './nativePort.ts';
import { isValidConfiguredOrigin, isValidPortalOrigin } from '../../shared/protocol/origin.ts';
import { handlePortalRequest, type PortalRequestContext } from './portalRequests.ts';
import { answerPrompt, promptView } from './prompts.ts';
import { effectivePortalAddress, loadPolicy, loadPortalAddress } from './settings.ts';

export function isUiRequest(message: unknown): message is UiRequest {
  const m = message as { type?: unknown; command?: unknown } | null;
  return typeof m === 'object' && m !== null && m.type === 'cardbridge/ui' && typeof m.command === 'string';
}

/** Only pages packaged in this extension may use these requests. */
export function isOwnPage(sender: browser.Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL(''));
}

const codeOf = (error: unknown) => (error instanceof CardBridgeError ? error.code : 'ERR_INTERNAL');

export async function buildSelfCheck(port: NativePort): Promise<SelfCheckReport> {
  // The clock check runs beside the host checks and is part of the report whatever they find.
  const clock = loadPortalAddress().then((portal) => checkClock(portal));
  const [browserCheck, os] = await Promise.all([detectBrowser(), detectOs()]);
  const report: SelfCheckReport = {
    generatedAt: new Date().toISOString(),
    os,
    browser: browserCheck,
    extensionVersion: browser.runtime.getManifest().version,
    host: { ok: false, code: 'ERR_HOST_NOT_INSTALLED' },
  };
  try {
    const info = await port.ensureConnected();
    report.host = { ok: true, version: info.version, protocol: info.protocol };
  } catch (error) {
    report.host = {
      ok: false,
      code: codeOf(error),
      detail: error instanceof Error ? error.message : undefined,
    };
    report.clock = await clock;
    return report;
  }
  try {
    report.status = await port.request('status');
  } catch (error) {
    report.statusError = codeOf(error);
  }
  try {
    report.certificates = (await port.request('certificates.list')).certificates;
  } catch (error) {
    report.certificatesError = codeOf(error);
  }
  report.clock = await clock;
  return report;
}

async function settingsView(): Promise<SettingsView> {
  const local = await browser.storage.local.get([
    'userOrigins',
    'developmentMode',
    'language',
    'portalAddress',
  ]);
  const managed = await loadPolicy();
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const language = local.language === 'zh_TW' || local.language === 'en' ? local.language : 'auto';
  return {
    userOrigins: strings(local.userOrigins),
    developmentMode: local.developmentMode === true,
    language,
    portalAddress: typeof local.portalAddress === 'string' ? local.portalAddress : '',
    effectivePortalAddress: effectivePortalAddress(managed.portalAddress, local.portalAddress),
    policy: {
      allowedOrigins: strings(managed.allowedOrigins),
      developmentMode: managed.developmentMode === true,
      ...(typeof managed.portalAddress === 'string' ? { portalAddress: managed.portalAddress } : {}),
    },
  };
}

export async function handleUiRequest(
  request: UiRequest,
  port: NativePort,
  askClerk: PortalRequestContext['askClerk'],
): Promise<UiResponse<unknown>> {
  try {
    switch (request.command) {
      case 'portal-authenticate':
      case 'portal-nhi-authenticate':
      case 'portal-choose-certificate':
      case 'portal-sign-submission':
        return {
          ok: true,
          result: await handlePortalRequest(request, { port, askClerk, portalAddress: loadPortalAddress }),
        };
      case 'selfcheck':
        return { ok: true, result: await buildSelfCheck(port) };
      case 'read-nhi-card':
        return {
          ok: true,
          result: await port.request('nhi.readBasic', { reader: request.reader }),
        };
      case 'settings':
        return { ok: true, result: await settingsView() };
      case 'prompt-get': {
        const view = promptView(request.id);
        return view ? { ok: true, result: view } : { ok: false, code: 'ERR_TIMEOUT' };
      }
      case 'prompt-answer':
        return { ok: true, result: await answerPrompt(request.answer) };
      case 'save-settings': {
        if (
          !request.userOrigins.every(isValidConfiguredOrigin) ||
          (request.portalAddress !== '' && !isValidPortalOrigin(request.portalAddress))
        )
          return { ok: false, code: 'ERR_BAD_REQUEST' };
        await browser.storage.local.set({
          userOrigins: request.userOrigins,
          portalAddress: request.portalAddress === '' ? null : request.portalAddress,
          developmentMode: request.developmentMode === true,
          language: request.language === 'auto' ? null : request.language,
        });
        return { ok: true, result: await settingsView() };
      }
    }
  } catch (error) {
    return { ok: false, code: codeOf(error) };
  }
}
