/**
 * The portal session, kept in the extension's session storage (browser.storage.session: in memory,
 * gone when the browser closes, never readable by a web page) — never localStorage, never a cookie.
 * A session belongs to the portal it was made with: another portal address means no session.
 */
import browser from 'webextension-polyfill';
import type { Role, SubjectView, UnitView } from '../../../shared/portal/api.ts';

export const SESSION_KEY = 'portalSession';

export interface PortalSession {
  /** The portal origin the token was issued by. */
  portal: string;
  token: string;
  expiresAt: string;
  role: Role;
  unit: UnitView;
  subject: SubjectView;
}

function isSession(value: unknown): value is PortalSession {
  const s = value as Partial<PortalSession> | undefined;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.portal === 'string' &&
    typeof s.token === 'string' &&
    s.token !== '' &&
    typeof s.expiresAt === 'string' &&
    (s.role === 'unit' || s.role === 'clerk') &&
    typeof s.unit === 'object' &&
    typeof s.subject === 'object'
  );
}

/** The session for `portal`, if there is one that has not expired (an expired one is removed). */
export async function loadSession(
  portal: string,
  now: Date = new Date(),
): Promise<PortalSession | undefined> {
  const stored = await browser.storage.session.get(SESSION_KEY);
  const session = stored[SESSION_KEY];
  if (!isSession(session)) return undefined;
  const expires = Date.parse(session.expiresAt);
  if (session.portal !== portal || !(expires > now.getTime())) {
    await clearSession();
    return undefined;
  }
  return session;
}

export async function saveSession(session: PortalSession): Promise<void> {
  await browser.storage.session.set({ [SESSION_KEY]: session });
}

export async function clearSession(): Promise<void> {
  await browser.storage.session.remove(SESSION_KEY);
}

/** The token for API calls (undefined when logged out or expired). */
export async function sessionToken(portal: string): Promise<string | undefined> {
  return (await loadSession(portal))?.token;
}
