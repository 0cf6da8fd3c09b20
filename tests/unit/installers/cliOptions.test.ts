/** The registration CLI's options, and the Snap/Flatpak browsers that status and doctor must name. */
import { describe, expect, it } from 'vitest';
import { findSandboxedBrowsers } from '../../../installers/registration/index.ts';
import {
  parseRegistrationOptions,
  requestedLocale,
  UsageError,
} from '../../../native-host/src/install/registrationOptions.ts';

describe('registration options', () => {
  it('defaults to every browser for this user, with this binary as the host', () => {
    expect(parseRegistrationOptions([], true)).toEqual({
      browsers: ['chrome', 'edge', 'chromium', 'firefox', 'brave'],
      scope: 'user',
      json: false,
      hostPath: process.execPath,
    });
  });

  it('reads --browser, --scope, --root, --host-path, --json and --lang, in both spellings', () => {
    const options = parseRegistrationOptions(
      [
        '--browser=edge,chrome',
        '--scope',
        'system',
        '--root',
        '/tmp/stage',
        '--host-path=/opt/h',
        '--json',
        '--lang',
        'en',
      ],
      false,
    );
    expect(options).toEqual({
      browsers: ['edge', 'chrome'],
      scope: 'system',
      root: '/tmp/stage',
      hostPath: '/opt/h',
      json: true,
      locale: 'en',
    });
  });

  it('refuses what it does not know, and a host path it cannot know outside the built binary', () => {
    expect(() => parseRegistrationOptions(['--force'], true)).toThrow(UsageError);
    expect(() => parseRegistrationOptions(['--lang', 'fr'], true)).toThrow(UsageError);
    expect(() => parseRegistrationOptions(['--scope'], true)).toThrow(UsageError);
    expect(() => parseRegistrationOptions(['--scope', 'all'], true)).toThrow(
      /ERR_REGISTRATION_UNKNOWN_SCOPE/,
    );
    expect(() => parseRegistrationOptions(['--browser', 'safari'], true)).toThrow(
      /ERR_REGISTRATION_UNKNOWN_BROWSER/,
    );
    expect(() => parseRegistrationOptions([], false)).toThrow(UsageError);
  });

  it('finds the language before anything else is parsed', () => {
    expect(requestedLocale(['--browser', 'opera', '--lang', 'en'])).toBe('en');
    expect(requestedLocale(['--lang=zh-TW'])).toBe('zh-TW');
    expect(requestedLocale(['--lang', 'fr'])).toBeUndefined();
  });
});

describe('sandboxed browsers', () => {
  it('names Snap and Flatpak browsers on Linux only', () => {
    const present = new Set(['/snap/firefox/current', '/home/u/.local/share/flatpak/app/com.google.Chrome']);
    const found = findSandboxedBrowsers('linux', { home: '/home/u' }, (p) => present.has(p));
    expect(found).toEqual([
      { browser: 'firefox', packaging: 'snap', where: '/snap/firefox/current' },
      {
        browser: 'chrome',
        packaging: 'flatpak',
        where: '/home/u/.local/share/flatpak/app/com.google.Chrome',
      },
    ]);
    expect(findSandboxedBrowsers('darwin', { home: '/Users/u' }, () => true)).toEqual([]);
  });
});
