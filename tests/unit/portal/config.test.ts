/** Portal configuration from the environment: defaults and a clear error for each bad value. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CORS_ORIGIN, loadConfig } from '../../../portal/src/config.ts';
import { FIREFOX_EXTENSIONS, isCorsOriginAllowed } from '../../../shared/protocol/origin.ts';
import { EXTENSION_IDS } from '../../../shared/protocol/version.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8780,
      host: '127.0.0.1',
      origin: 'http://127.0.0.1:8780',
      database: { kind: 'sqlite', file: 'var/portal.sqlite' },
      mail: { kind: 'outbox', dir: 'var/outbox' },
      corsOrigins: [`chrome-extension://${EXTENSION_IDS.chromium}`],
      maxClerks: 5,
      sessionTtlMs: 30 * 60_000,
      nonceTtlMs: 5 * 60_000,
      rateLimit: { max: 30, windowMs: 60_000 },
      slipSchedulerMs: 0,
      // The desk's job loop is off unless asked for (the demo runs it every 5 s).
      desk: { fileKeepDays: 7, jobMs: 0 },
    });
    expect(loadConfig({ PORTAL_DESK_JOB_MS: '5000' }).desk.jobMs).toBe(5000);
    expect(DEFAULT_CORS_ORIGIN).toBe('chrome-extension://jhnhjpjfldflmfeaagoaifccobiocdil');
    expect(config.samMasterKey).toBeUndefined();
    expect(config.tls).toBeUndefined();
    expect(config.unitCodePattern.test('012345678')).toBe(true);
    expect(config.unitCodePattern.test('01234567')).toBe(false);
  });

  it('reads every setting', () => {
    const config = loadConfig({
      PORTAL_PORT: '9443',
      PORTAL_HOST: '0.0.0.0',
      PORTAL_ORIGIN: 'https://portal.example.tw',
      DATABASE_URL: 'postgres://portal@db.example.test:5432/portal',
      SMTP_URL: 'smtp://mail.example.test:25',
      PORTAL_MAIL_FROM: 'Portal <portal@example.test>',
      PORTAL_CORS_ORIGINS: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop, moz-extension://1234-abcd',
      PORTAL_MAX_CLERKS: '8',
      PORTAL_SESSION_TTL_MIN: '15',
      PORTAL_NHI_SAM_MASTER_KEY: '00112233445566778899aabbccddeeff',
      PORTAL_TRUST_DIR: '/etc/portal/trust',
      PORTAL_TLS_CERT: '/etc/portal/cert.pem',
      PORTAL_TLS_KEY: '/etc/portal/key.pem',
      PORTAL_UNIT_CODE_PATTERN: '^[0-9]{8,10}$',
    });
    expect(config).toMatchObject({
      port: 9443,
      host: '0.0.0.0',
      origin: 'https://portal.example.tw',
      database: { kind: 'postgres', url: 'postgres://portal@db.example.test:5432/portal' },
      mail: { kind: 'smtp', url: 'smtp://mail.example.test:25' },
      mailFrom: 'Portal <portal@example.test>',
      corsOrigins: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop', 'moz-extension://1234-abcd'],
      maxClerks: 8,
      sessionTtlMs: 15 * 60_000,
      trustDir: '/etc/portal/trust',
      tls: { certFile: '/etc/portal/cert.pem', keyFile: '/etc/portal/key.pem' },
    });
    expect(config.samMasterKey?.toString('hex')).toBe('00112233445566778899aabbccddeeff');
    expect(config.unitCodePattern.test('1234567890')).toBe(true);
    expect(config.unitCodePattern.test('12345678901')).toBe(false);
    expect(loadConfig({ DATABASE_URL: '/data/portal.db' }).database).toEqual({
      kind: 'sqlite',
      file: '/data/portal.db',
    });
  });

  it.each([
    [{ PORTAL_PORT: '80a' }, /PORTAL_PORT must be a whole number/],
    [{ PORTAL_PORT: '70000' }, /PORTAL_PORT/],
    [{ PORTAL_ORIGIN: 'https://portal.example.tw/' }, /PORTAL_ORIGIN/],
    [{ PORTAL_ORIGIN: 'http://portal.example.tw' }, /PORTAL_ORIGIN/],
    [{ DATABASE_URL: 'mysql://db/portal' }, /DATABASE_URL must be postgres/],
    [{ SMTP_URL: 'mail.example.test' }, /SMTP_URL/],
    [{ PORTAL_MAIL_FROM: 'not an address' }, /PORTAL_MAIL_FROM/],
    [{ PORTAL_CORS_ORIGINS: 'https://a.example.test/path' }, /PORTAL_CORS_ORIGINS/],
    [{ PORTAL_MAX_CLERKS: '0' }, /PORTAL_MAX_CLERKS/],
    [{ PORTAL_SESSION_TTL_MIN: '-5' }, /PORTAL_SESSION_TTL_MIN/],
    [{ PORTAL_NHI_SAM_MASTER_KEY: 'abcd' }, /PORTAL_NHI_SAM_MASTER_KEY/],
    [{ PORTAL_NHI_SAM_MASTER_KEY: 'zz'.repeat(16) }, /PORTAL_NHI_SAM_MASTER_KEY/],
    [{ PORTAL_TLS_CERT: '/cert.pem' }, /PORTAL_TLS_CERT and PORTAL_TLS_KEY/],
    [{ PORTAL_UNIT_CODE_PATTERN: '[0-9' }, /PORTAL_UNIT_CODE_PATTERN/],
  ])('refuses %j', (env, message) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it('reports every bad value at once', () => {
    expect(() => loadConfig({ PORTAL_PORT: 'x', PORTAL_MAX_CLERKS: 'y' })).toThrow(
      /PORTAL_PORT[\s\S]*PORTAL_MAX_CLERKS/,
    );
  });
});

describe('PORTAL_TRUST_PROXY', () => {
  it('is unset by default: X-Forwarded-For is not believed', () => {
    expect(loadConfig({}).trustProxy).toBeUndefined();
  });

  it('takes addresses and CIDR ranges, IPv4 and IPv6', () => {
    expect(loadConfig({ PORTAL_TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,2001:db8::/32' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      '2001:db8::/32',
    ]);
  });

  it('refuses what is not an address or range, by name', () => {
    for (const bad of ['*', 'true', '10.0.0.0/33', 'lb.example.test', '10.0.0.1/8/8']) {
      expect(problems({ PORTAL_TRUST_PROXY: bad }).join(), bad).toMatch(/^PORTAL_TRUST_PROXY: /);
    }
  });
});

describe('isCorsOriginAllowed', () => {
  const CHROMIUM = `chrome-extension://${EXTENSION_IDS.chromium}`;
  const FIREFOX_PAGE = 'moz-extension://0e9f5a6c-1111-4222-8333-944455556666';

  it('allows exactly the listed origins', () => {
    expect(isCorsOriginAllowed(CHROMIUM, [CHROMIUM])).toBe(true);
    expect(isCorsOriginAllowed('chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', [CHROMIUM])).toBe(
      false,
    );
    expect(isCorsOriginAllowed(FIREFOX_PAGE, [CHROMIUM])).toBe(false);
  });

  it('allows Firefox extension pages only when moz-extension://* is listed, and nothing else by it', () => {
    expect(loadConfig({ PORTAL_CORS_ORIGINS: `${CHROMIUM},${FIREFOX_EXTENSIONS}` }).corsOrigins).toEqual([
      CHROMIUM,
      FIREFOX_EXTENSIONS,
    ]);
    const allowed = [CHROMIUM, FIREFOX_EXTENSIONS];
    expect(isCorsOriginAllowed(FIREFOX_PAGE, allowed)).toBe(true);
    for (const other of [
      'moz-extension://not-a-uuid',
      `${FIREFOX_PAGE}.evil.example`,
      'https://evil.example',
      'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    ]) {
      expect(isCorsOriginAllowed(other, allowed), other).toBe(false);
    }
  });
});
