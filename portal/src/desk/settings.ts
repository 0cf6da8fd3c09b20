/**
 * The desk's fixed rules (documented in portal/README.md). Those a deployment tunes (rate limit,
 * file keeping, lockout tries) are in PortalConfig.desk.
 */
export const DESK_SETTINGS = {
  /** NIST SP 800-63B: length over composition; the commonest passwords refused (passwordPolicy.ts). */
  minPasswordLength: 12,
  lockoutMinutes: 15,
  activationHours: 24,
  resetHours: 1,
  emailChangeHours: 24,
  captchaMinutes: 5,
  recentLogins: 10,
  /** A generation claimed longer ago than this (crash) is claimed again. */
  jobLeaseMs: 5 * 60_000,
  cookies: { session: 'desk_session', csrf: 'desk_csrf', language: 'desk_lang' },
} as const;
