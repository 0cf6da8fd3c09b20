/**
 * Messages between the extension's own pages (self-check, popup, options, prompt) and the
 * background. Only pages of this extension may send them; the background checks the sender.
 */
import type { ErrorCode } from '../../shared/protocol/errors.ts';
import type { NhiBasicData, StatusResult, ListedCertificateResult } from '../../shared/protocol/messages.ts';
import type { ClockCheck } from '../background/clockCheck.ts';
import type { PortalPurpose, PromptAnswer } from './promptProtocol.ts';
import type { Submission } from '../../shared/filings/contracts.ts';

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
  /** The clock against the portal's (checked whether or not the host works). */
  clock?: ClockCheck;
  host: HostCheck;
  status?: StatusResult;
  statusError?: ErrorCode;
  certificates?: ListedCertificateResult[];
  certificatesError?: ErrorCode;
}

/** Card operations of the bundled portal pages, bound to the configured portal address. */
export type PortalRequest =
  | { type: 'cardbridge/ui'; command: 'portal-authenticate'; nonce: string; purpose?: PortalPurpose }
  | { type: 'cardbridge/ui'; command: 'portal-nhi-authenticate'; nonce: string; purpose?: PortalPurpose }
  | { type: 'cardbridge/ui'; command: 'portal-choose-certificate' }
  | {
      type: 'cardbridge/ui';
      command: 'portal-sign-submission';
      /** Checked again in the background (shared/filings/contracts.ts Submission). */
      submission: Submission;
      /** How the session clerk signs: the certificate they logged in with, or their NHI card. */
      method: 'certificate' | 'nhi-card';
    };

/** What the portal pages get back from portal-choose-certificate: the public part only. */
export interface ChosenCertificate {
  certificate: string;
  family: string;
  subject: { commonName: string; ubn?: string; organizationId?: string; idLast4?: string };
  notAfter: string;
}

export type UiRequest =
  | PortalRequest
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
      portalAddress: string;
    };

export type UiResponse<T> = { ok: true; result: T } | { ok: false; code: ErrorCode };

export interface SettingsView {
  userOrigins: string[];
  developmentMode: boolean;
  language: 'auto' | 'zh_TW' | 'en';
  /** The clerk's own choice (empty: the default); the one in use is `effectivePortalAddress`. */
  portalAddress: string;
  effectivePortalAddress: string;
  policy: { allowedOrigins: string[]; developmentMode: boolean; portalAddress?: string };
}

export type NhiCardView = NhiBasicData;

/** The port name the self-check page uses to receive live updates. */
export const SELFCHECK_PORT = 'cardbridge/selfcheck';
