/**
 * Which certificates a task may use. A unit task (registering the unit, the unit's login, cancelling
 * the registration) takes a unit certificate (MOEACA, GCA, XCA); a clerk's task (the clerk's login,
 * giving a clerk's certificate to the unit, signing a filing) takes the clerk's own citizen
 * certificate. Offering the wrong kind sends a PIN to the wrong card, and three wrong PINs lock a
 * card for good. The background and the prompt page both filter through this one rule. Browser-safe.
 */
import type { ListedCertificateResult } from '../protocol/messages.ts';
import { FAMILY_RULES, type CertificateFamily } from './families.ts';

export const CERTIFICATE_TASKS = [
  'unit-register',
  'unit-login',
  'unit-cancel',
  'clerk-login',
  'clerk-assign',
  'sign-filing',
  /** A web page's login through the page API: it does not say whose login it is. */
  'site-login',
] as const;
export type CertificateTask = (typeof CERTIFICATE_TASKS)[number];

/** Whose certificate a task needs. */
export type TaskHolder = 'unit' | 'person' | 'either';

export const TASK_HOLDER: Readonly<Record<CertificateTask, TaskHolder>> = {
  'unit-register': 'unit',
  'unit-login': 'unit',
  'unit-cancel': 'unit',
  'clerk-login': 'person',
  'clerk-assign': 'person',
  'sign-filing': 'person',
  'site-login': 'either',
};

/** The families a task accepts, read from the family table's unit flag (never listed twice). */
export function familiesFor(task: CertificateTask): CertificateFamily[] {
  const holder = TASK_HOLDER[task];
  return FAMILY_RULES.filter((rule) => holder === 'either' || rule.unit === (holder === 'unit')).map(
    (rule) => rule.family,
  );
}

/** Has a private key in its token that may make the signature a login or a filing needs. */
export function hasUsableKey(
  certificate: Pick<ListedCertificateResult, 'hasPrivateKey' | 'keyUsage'>,
): boolean {
  return certificate.hasPrivateKey && certificate.keyUsage.includes('digitalSignature');
}

/** The certificates the prompt offers for a task, in the order listed. */
export function certificatesFor<
  C extends Pick<ListedCertificateResult, 'family' | 'hasPrivateKey' | 'keyUsage'>,
>(task: CertificateTask, certificates: readonly C[]): C[] {
  const families = new Set(familiesFor(task));
  return certificates.filter((c) => families.has(c.family) && hasUsableKey(c));
}
