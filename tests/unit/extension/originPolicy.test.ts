/**
 * The extension's allow-list: which sender origins may use CardBridge. NHI https origins by default,
 * exact https origins from the options page or IT policy, loopback http only in development mode.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_ORIGIN_SETTINGS } from '../../../extension/background/originPolicy.ts';
import {
  isPageOriginAllowed,
  isValidConfiguredOrigin,
  type OriginSettings,
} from '../../../shared/protocol/origin.ts';

const settings = (overrides: Partial<OriginSettings> = {}): OriginSettings => ({
  ...DEFAULT_ORIGIN_SETTINGS,
  ...overrides,
});

describe('isPageOriginAllowed: NHI origins by default', () => {
  it('starts with no extra origins and development mode off', () => {
    expect(DEFAULT_ORIGIN_SETTINGS).toEqual({ userOrigins: [], policyOrigins: [], developmentMode: false });
  });

  it.each([
    'https://eservice.nhi.gov.tw',
    'https://edesk.nhi.gov.tw',
    'https://nhi.gov.tw',
    'https://a.b.nhi.gov.tw:8443',
    'https://med-vpn.nhi.gov.tw',
  ])('allows %s', (origin) => {
    expect(isPageOriginAllowed(origin, DEFAULT_ORIGIN_SETTINGS)).toBe(true);
  });

  it.each([
    ['a look-alike with nhi.gov.tw as a prefix', 'https://nhi.gov.tw.evil.example'],
    ['a host ending in "nhi.gov.tw" without a dot', 'https://evilnhi.gov.tw'],
    ['a hyphen instead of a dot', 'https://nhi-gov.tw'],
    ['the parent domain', 'https://gov.tw'],
    ['another .gov.tw site', 'https://www.gov.tw'],
    ['nhi.gov.tw inside a label', 'https://nhi.gov.tw-login.example'],
    ['plain http', 'http://eservice.nhi.gov.tw'],
    ['plain http on the apex', 'http://nhi.gov.tw'],
    ['a path', 'https://eservice.nhi.gov.tw/login'],
    ['a trailing slash', 'https://eservice.nhi.gov.tw/'],
    ['a query', 'https://eservice.nhi.gov.tw?x=1'],
    ['user info', 'https://user@eservice.nhi.gov.tw'],
    ['credentials before a look-alike host', 'https://eservice.nhi.gov.tw:pw@evil.example'],
    ['credentials', 'https://user:pw@eservice.nhi.gov.tw'],
    ['the default port spelt out', 'https://eservice.nhi.gov.tw:443'],
    ['an upper-case host', 'https://EService.NHI.gov.tw'],
    ['a websocket scheme', 'wss://eservice.nhi.gov.tw'],
    ['an opaque origin', 'null'],
    ['an empty string', ''],
    ['a host without a scheme', 'eservice.nhi.gov.tw'],
    ['an extension origin', 'chrome-extension://jhnhjpjfldflmfeaagoaifccobiocdil'],
  ])('refuses %s (%s)', (_name, origin) => {
    expect(isPageOriginAllowed(origin, DEFAULT_ORIGIN_SETTINGS)).toBe(false);
  });
});

describe('isPageOriginAllowed: user and policy origins', () => {
  it.each([
    ['userOrigins', settings({ userOrigins: ['https://his.example-hospital.tw'] })],
    ['policyOrigins', settings({ policyOrigins: ['https://his.example-hospital.tw'] })],
  ])('allows an origin from %s exactly', (_name, configured) => {
    expect(isPageOriginAllowed('https://his.example-hospital.tw', configured)).toBe(true);
    expect(isPageOriginAllowed('https://his.example-hospital.tw:8443', configured)).toBe(false);
    expect(isPageOriginAllowed('https://sub.his.example-hospital.tw', configured)).toBe(false);
    expect(isPageOriginAllowed('https://his.example-hospital.tw/', configured)).toBe(false);
    expect(isPageOriginAllowed('https://his.example-hospital.tw.evil.example', configured)).toBe(false);
    expect(isPageOriginAllowed('http://his.example-hospital.tw', configured)).toBe(false);
  });

  it('matches the configured port exactly', () => {
    const configured = settings({ userOrigins: ['https://his.example-hospital.tw:8443'] });
    expect(isPageOriginAllowed('https://his.example-hospital.tw:8443', configured)).toBe(true);
    expect(isPageOriginAllowed('https://his.example-hospital.tw', configured)).toBe(false);
  });

  it('never allows an http origin, even when it was configured', () => {
    const configured = settings({
      userOrigins: ['http://his.example-hospital.tw'],
      policyOrigins: ['http://intranet.example-hospital.tw'],
    });
    expect(isPageOriginAllowed('http://his.example-hospital.tw', configured)).toBe(false);
    expect(isPageOriginAllowed('http://intranet.example-hospital.tw', configured)).toBe(false);
  });

  it('does not let a configured origin that is not a bare origin match anything', () => {
    const configured = settings({ userOrigins: ['https://his.example-hospital.tw/'] });
    expect(isPageOriginAllowed('https://his.example-hospital.tw', configured)).toBe(false);
    expect(isPageOriginAllowed('https://his.example-hospital.tw/', configured)).toBe(false);
  });

  it('still allows NHI origins when others are configured', () => {
    const configured = settings({ userOrigins: ['https://his.example-hospital.tw'] });
    expect(isPageOriginAllowed('https://eservice.nhi.gov.tw', configured)).toBe(true);
  });
});

describe('isPageOriginAllowed: development mode', () => {
  const dev = settings({ developmentMode: true });

  it.each([
    'http://127.0.0.1:8080',
    'http://127.0.0.1',
    'http://localhost',
    'http://localhost:5173',
    'http://[::1]',
    'http://[::1]:3000',
  ])('allows %s only in development mode', (origin) => {
    expect(isPageOriginAllowed(origin, dev)).toBe(true);
    expect(isPageOriginAllowed(origin, DEFAULT_ORIGIN_SETTINGS)).toBe(false);
  });

  it.each([
    'http://example.com',
    'http://eservice.nhi.gov.tw',
    'http://127.0.0.2',
    'http://192.168.1.10:8080',
    'http://localhost.evil.example',
    'http://127.0.0.1.evil.example',
    'http://localhost:5173/',
    'http://user@localhost:5173',
  ])('never allows %s, even in development mode', (origin) => {
    expect(isPageOriginAllowed(origin, dev)).toBe(false);
  });

  it('does not let development mode widen the https rules', () => {
    expect(isPageOriginAllowed('https://evil.example', dev)).toBe(false);
    expect(isPageOriginAllowed('https://nhi.gov.tw.evil.example', dev)).toBe(false);
  });
});

describe('isValidConfiguredOrigin', () => {
  it.each([
    'https://his.example-hospital.tw',
    'https://his.example-hospital.tw:8443',
    'https://eservice.nhi.gov.tw',
  ])('accepts %s', (origin) => {
    expect(isValidConfiguredOrigin(origin)).toBe(true);
  });

  it.each([
    'http://his.example-hospital.tw',
    'http://localhost:5173',
    'https://his.example-hospital.tw/',
    'https://his.example-hospital.tw/path',
    'https://user:pw@his.example-hospital.tw',
    'https://his.example-hospital.tw:443',
    'https://HIS.example-hospital.tw',
    'his.example-hospital.tw',
    'ftp://his.example-hospital.tw',
    'null',
    '',
  ])('refuses %s', (origin) => {
    expect(isValidConfiguredOrigin(origin)).toBe(false);
  });
});
