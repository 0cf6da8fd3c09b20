/** What a listed certificate is good for now (shared/pki/certificateUse.ts): self-check and prompt. */
import { describe, expect, it } from 'vitest';
import { certificateState, EXPIRY_WARNING_DAYS, usableForLogin } from '../../shared/pki/certificateUse.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-06-01T00:00:00Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const certificate = (notBefore: number, notAfter: number, keyUsage = ['digitalSignature']) => ({
  notBefore: at(notBefore),
  notAfter: at(notAfter),
  keyUsage,
});

describe('certificateState', () => {
  it.each([
    ['valid', -10, 365],
    ['expiring', -10, EXPIRY_WARNING_DAYS - 1],
    ['expired', -365, -1],
    ['not-yet-valid', 1, 365],
  ] as const)('%s', (state, notBefore, notAfter) => {
    expect(certificateState(certificate(notBefore, notAfter), NOW)).toBe(state);
  });
});

describe('usableForLogin', () => {
  it('needs a certificate valid now (expiring soon is fine) that may make digital signatures', () => {
    expect(usableForLogin(certificate(-10, 365), NOW)).toBe(true);
    expect(usableForLogin(certificate(-10, 5), NOW)).toBe(true);
    expect(usableForLogin(certificate(-365, -1), NOW)).toBe(false);
    expect(usableForLogin(certificate(1, 365), NOW)).toBe(false);
    expect(usableForLogin(certificate(-10, 365, ['keyEncipherment', 'dataEncipherment']), NOW)).toBe(false);
    expect(usableForLogin(certificate(-10, 365, ['nonRepudiation']), NOW)).toBe(false);
  });
});
