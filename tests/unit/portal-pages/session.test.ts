/**
 * The portal session (extension/pages/portal/session.ts) lives in browser.storage.session only:
 * saved and read there, tied to the portal it came from, removed when expired or on logout.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PortalSession } from '../../../extension/pages/portal/session.ts';

const sessionArea: Record<string, unknown> = {};
const touchedLocal = vi.fn();

vi.mock('webextension-polyfill', () => ({
  default: {
    storage: {
      session: {
        get: (key: string) => Promise.resolve(key in sessionArea ? { [key]: sessionArea[key] } : {}),
        set: (values: Record<string, unknown>) => Promise.resolve(void Object.assign(sessionArea, values)),
        remove: (key: string) => Promise.resolve(void delete sessionArea[key]),
      },
      local: { get: touchedLocal, set: touchedLocal, remove: touchedLocal },
      sync: { get: touchedLocal, set: touchedLocal, remove: touchedLocal },
    },
  },
}));

const { SESSION_KEY, clearSession, loadSession, saveSession, sessionToken } =
  await import('../../../extension/pages/portal/session.ts');

const PORTAL = 'https://portal.test';
const NOW = new Date('2025-06-01T10:00:00Z');
const session: PortalSession = {
  portal: PORTAL,
  token: 'tok-abc',
  expiresAt: '2025-06-01T10:30:00Z',
  role: 'unit',
  unit: { code: '012345678', name: '好健康診所' },
  subject: { kind: 'certificate', name: '好健康診所', credential: '****1234' },
};

beforeEach(() => {
  for (const key of Object.keys(sessionArea)) delete sessionArea[key];
  touchedLocal.mockReset();
});

describe('portal session storage', () => {
  it('saves to and reads from storage.session only', async () => {
    await saveSession(session);
    expect(sessionArea[SESSION_KEY]).toEqual(session);
    await expect(loadSession(PORTAL, NOW)).resolves.toEqual(session);
    expect(touchedLocal).not.toHaveBeenCalled();
    expect('localStorage' in globalThis).toBe(false);
  });

  it('gives the token for API calls, and none when logged out', async () => {
    await expect(sessionToken(PORTAL)).resolves.toBeUndefined();
    await saveSession({ ...session, expiresAt: '2999-01-01T00:00:00Z' });
    await expect(sessionToken(PORTAL)).resolves.toBe('tok-abc');
    await clearSession();
    expect(SESSION_KEY in sessionArea).toBe(false);
    await expect(sessionToken(PORTAL)).resolves.toBeUndefined();
  });

  it('an expired session is removed', async () => {
    await saveSession(session);
    await expect(loadSession(PORTAL, new Date('2025-06-01T10:30:00Z'))).resolves.toBeUndefined();
    expect(SESSION_KEY in sessionArea).toBe(false);
  });

  it('a session of another portal address does not count (and is removed)', async () => {
    await saveSession(session);
    await expect(loadSession('https://other.test', NOW)).resolves.toBeUndefined();
    expect(SESSION_KEY in sessionArea).toBe(false);
  });

  it('ignores malformed stored values', async () => {
    sessionArea[SESSION_KEY] = { token: '', portal: PORTAL };
    await expect(loadSession(PORTAL, NOW)).resolves.toBeUndefined();
    sessionArea[SESSION_KEY] = 'tok';
    await expect(loadSession(PORTAL, NOW)).resolves.toBeUndefined();
  });
});
