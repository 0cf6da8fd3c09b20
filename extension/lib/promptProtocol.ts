/**
 * What the prompt window shows and answers (background ↔ prompt page). uiProtocol.ts builds on
 * these types; nothing here imports it back.
 */
import type { ErrorCode } from '../../shared/protocol/errors.ts';
import type { ListedCertificateResult } from '../../shared/protocol/messages.ts';
import type { CertificateTask } from '../../shared/pki/taskCertificates.ts';
import type { FilingSummary } from './filingSummary.ts';

/**
 * Why a portal page asks for a card proof: the prompt says it in plain words, and it decides which
 * certificates are offered (the unit's or the clerk's own).
 */
export const PORTAL_PURPOSES = [
  'unit-login',
  'clerk-login',
  'register',
  'cancel',
  'set-password',
  'sign-submission',
] as const;
export type PortalPurpose = (typeof PORTAL_PURPOSES)[number];

export type PromptKind =
  'authenticate' | 'sign' | 'read-nhi-card' | 'get-certificates' | 'nhi-authenticate' | 'choose-certificate';

/** Kinds that use no certificate and no PIN: the clerk only agrees (or not). */
export const CONSENT_ONLY_KINDS: ReadonlySet<PromptKind> = new Set([
  'read-nhi-card',
  'get-certificates',
  'nhi-authenticate',
]);

export interface PromptView {
  id: string;
  kind: PromptKind;
  /** The requesting origin, as the browser reported it. */
  origin: string;
  /** For sign: what the page says it is, and the digest actually signed. */
  documentName?: string;
  digestHex?: string;
  hashFunction?: string;
  certificates: ListedCertificateResult[];
  /** For the bundled portal pages: why the proof is asked (register, log in, cancel…). */
  purpose?: PortalPurpose;
  /** The task the certificates were chosen for (shared/pki/taskCertificates.ts). */
  task?: CertificateTask;
  /** The certificate this origin used last time for the same task, shown first. */
  rememberedCertificateId?: string;
  /** For signing a filing submission: what is signed, in plain words (masked names). */
  filing?: FilingSummary;
  expiresAt: number;
}

export type PromptAnswer =
  | { id: string; approve: false }
  | { id: string; approve: true; certificateId?: string; pin?: string; remember?: boolean };

/**
 * What the prompt learns after answering: done (window closes) or a PIN problem to show. `ended`:
 * the operation is over (the page has its error, e.g. a locked PIN); the window only tells the clerk.
 */
export type PromptOutcome =
  { done: true } | { done: false; code: ErrorCode; details?: Record<string, unknown>; ended?: true };
