/**
 * The portal address (options page, IT policy): an exact https origin, or the reference portal on
 * this computer over http (127.0.0.1, localhost, [::1]). Nothing else.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTAL_ADDRESS } from '../../../extension/background/originPolicy.ts';
import { isValidConfiguredOrigin, isValidPortalOrigin } from '../../../shared/protocol/origin.ts';

describe('isValidPortalOrigin: accepted', () => {
  it.each([
    'https://portal.example.tw',
    'https://eservice.nhi.gov.tw',
    'https://portal.example.tw:8443',
    'https://127.0.0.1:8780',
    'https://localhost',
    'https://[::1]:8443',
    'https://xn--kpry57d.xn--kprw13d',
  ])('accepts the https origin %s', (origin) => {
    expect(isValidPortalOrigin(origin)).toBe(true);
  });

  it.each([
    'http://127.0.0.1',
    'http://127.0.0.1:8780',
    'http://localhost',
    'http://localhost:8780',
    'http://[::1]',
    'http://[::1]:8780',
  ])('accepts the loopback http origin %s', (origin) => {
    expect(isValidPortalOrigin(origin)).toBe(true);
  });
});

describe('isValidPortalOrigin: refused', () => {
  it.each([
    ['http on a public host', 'http://portal.example.tw'],
    ['http on an NHI host', 'http://eservice.nhi.gov.tw'],
    ['http on a private-network address', 'http://192.168.1.10:8780'],
    ['http on another loopback address', 'http://127.0.0.2:8780'],
    ['http on a host that starts with localhost', 'http://localhost.evil.example'],
    ['http on a host that starts with 127.0.0.1', 'http://127.0.0.1.evil.example'],
    ['http on a subdomain of localhost', 'http://portal.localhost'],
    ['a path', 'https://portal.example.tw/login'],
    ['a path on the loopback portal', 'http://127.0.0.1:8780/portal'],
    ['a trailing slash', 'https://portal.example.tw/'],
    ['a trailing slash on the loopback portal', 'http://127.0.0.1:8780/'],
    ['a query', 'https://portal.example.tw?x=1'],
    ['a fragment', 'https://portal.example.tw#top'],
    ['user info', 'https://user@portal.example.tw'],
    ['credentials before the loopback host', 'http://evil.example@127.0.0.1'],
    ['the default https port spelt out', 'https://portal.example.tw:443'],
    ['the default http port spelt out', 'http://localhost:80'],
    ['an upper-case host', 'https://Portal.Example.tw'],
    ['an upper-case scheme', 'HTTPS://portal.example.tw'],
    ['a websocket scheme', 'wss://portal.example.tw'],
    ['an ftp scheme', 'ftp://portal.example.tw'],
    ['a file URL', 'file:///C:/portal/index.html'],
    ['a javascript URL', 'javascript:alert(1)'],
    ['a data URL', 'data:text/html,hi'],
    ['an extension origin', 'chrome-extension://jhnhjpjfldflmfeaagoaifccobiocdil'],
    ['an opaque origin', 'null'],
    ['an empty string', ''],
    ['a host without a scheme', 'portal.example.tw'],
    ['surrounding spaces', ' https://portal.example.tw '],
  ])('refuses %s (%s)', (_name, origin) => {
    expect(isValidPortalOrigin(origin)).toBe(false);
  });
});

describe('DEFAULT_PORTAL_ADDRESS', () => {
  it("is NHI's own portal, never this computer's (the demo and the tests set theirs)", () => {
    expect(DEFAULT_PORTAL_ADDRESS).toBe('https://eservice.nhi.gov.tw');
  });

  it('is one the manifest lets the extension reach (host_permissions)', () => {
    const manifest = JSON.parse(readFileSync(new URL('../../../manifest.json', import.meta.url), 'utf8')) as {
      host_permissions: string[];
    };
    const host = new URL(DEFAULT_PORTAL_ADDRESS).hostname;
    expect(
      manifest.host_permissions.some((p) =>
        new RegExp(
          `^${p
            .replace(/^https:\/\//, '')
            .replace(/\/\*$/, '')
            .replaceAll('.', '\\.')
            .replace('*', '[^/]+')}$`,
        ).test(host),
      ),
    ).toBe(true);
  });

  it('is a valid portal address', () => {
    expect(isValidPortalOrigin(DEFAULT_PORTAL_ADDRESS)).toBe(true);
  });

  it('is an exact origin', () => {
    expect(new URL(DEFAULT_PORTAL_ADDRESS).origin).toBe(DEFAULT_PORTAL_ADDRESS);
  });
});

describe('isValidPortalOrigin and isValidConfiguredOrigin', () => {
  it('differ only in that the portal address may also be loopback http', () => {
    for (const origin of ['https://portal.example.tw', 'https://a.b.example:8443', 'http://example.tw', '']) {
      expect(isValidPortalOrigin(origin)).toBe(isValidConfiguredOrigin(origin));
    }
    expect(isValidConfiguredOrigin('http://127.0.0.1:8780')).toBe(false);
    expect(isValidPortalOrigin('http://127.0.0.1:8780')).toBe(true);
  });
});
