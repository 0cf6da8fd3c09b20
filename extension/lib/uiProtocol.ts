/**
 * Messages between the extension's own pages (self-check, popup, options, prompt) and the
 * background. Only pages of this extension may send them; the background checks the sender.
 */
import type { ErrorCode } from '../../shared/protocol/errors.ts';
import type { NhiBasicData, StatusResult, ListedCertificateResult } from '../../shared/protocol/messages.ts';
import type { PromptAnswer } from './promptProtocol.ts';

export type HostCheck =
  { ok: true; version: string; protocol: number } | { ok: false; code: ErrorCode; detail?: string };

export interface BrowserCheck {
  name: 'Chrome' | 'Edge' | 'Firefox' | 'Chromium' | 'Other';
  version: string;
  minimum: string;
  supported: boolean;
}

export interface SelfCheckReport {
  generatedAt: string;
  os: 'win' | 'mac' | 'linux' | 'cros' | 'other';
  browser: BrowserCheck;
  extensionVersion: string;
  host: HostCheck;
  status?: StatusResult;
  statusError?: ErrorCode;
  certificates?: ListedCertificateResult[];
  certificatesError?: ErrorCode;
}

export type UiRequest =
  | { type: 'cardbridge/ui'; command: 'selfcheck' }
  | { type: 'cardbridge/ui'; command: 'read-nhi-card'; reader: string }
  | { type: 'cardbridge/ui'; command: 'settings' }
  | { type: 'cardbridge/ui'; command: 'prompt-get'; id: string }
  | { type: 'cardbridge/ui'; command: 'prompt-answer'; answer: PromptAnswer }
  | {
      type: 'cardbridge/ui';
      command: 'save-settings';
      userOrigins: string[];
      developmentMode: boolean;
      language: 'auto' | 'zh_TW' | 'en';
    };

export type UiResponse<T> = { ok: true; result: T } | { ok: false; code: ErrorCode };

export interface SettingsView {
  userOrigins: string[];
  developmentMode: boolean;
  language: 'auto' | 'zh_TW' | 'en';
  policy: { allowedOrigins: string[]; developmentMode: boolean };
}

export type NhiCardView = NhiBasicData;

/** The port name the self-check page uses to receive live updates. */
export const SELFCHECK_PORT = 'cardbridge/selfcheck';
