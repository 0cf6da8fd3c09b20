/**
 * The self-check's items a clerk reads: certificates by holder and issuer, usable ones told from
 * unusable ones at a glance (no ✔ beside a certificate that cannot log in), where to apply when a
 * kind of certificate is missing, the supported browsers, the Snap/Flatpak hint only where it
 * explains the failure, and a neutral clock item when NHI's portal cannot be reached.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTAL_ADDRESS } from '../../../extension/background/originPolicy.ts';
import { SUPPORTED_BROWSERS } from '../../../extension/lib/supportedBrowsers.ts';
import type { SelfCheckReport } from '../../../extension/lib/uiProtocol.ts';
import { overallLevel, selfCheckItems, type CheckItem } from '../../../extension/pages/selfcheck/checks.ts';
import { MARKS, render, textReport } from '../../../extension/pages/selfcheck/copyReport.ts';
import { AUTHORITIES } from '../../../shared/pki/authorities.ts';
import { listedCertificate } from './listedCertificate.ts';

const NOW = new Date('2026-12-02T08:00:00.000Z');

/** A fake t(): the key and its substitutions, so the tests see what reaches the catalogue. */
const t = (key: string, ...subs: Array<string | number>) => [key, ...subs].join('|');

/** The host's status with one reader holding a card of the given kind. */
function status(card: {
  type: 'nhi' | 'pki';
  identifiedBy: 'atr' | 'probe';
}): NonNullable<SelfCheckReport['status']> {
  return {
    version: '0.1.0',
    protocol: 1,
    pcsc: { available: true },
    readers: [{ name: 'R', cardPresent: true, card }],
    tokens: [],
  };
}

function report(overrides: Partial<SelfCheckReport> = {}): SelfCheckReport {
  return {
    generatedAt: NOW.toISOString(),
    os: 'linux',
    browser: { name: 'Chromium', version: '140.0.0.0', minimum: '116', supported: true },
    extensionVersion: '0.1.0',
    host: { ok: true, version: '0.1.0', protocol: 1 },
    status: status({ type: 'pki', identifiedBy: 'atr' }),
    certificates: [],
    ...overrides,
  };
}

const item = (items: CheckItem[], id: string) => items.find((i) => i.id === id);
const zh = (i: CheckItem | undefined, part: 'title' | 'detail' | 'fix' = 'title') =>
  i?.[part] ? render(t, i[part], 'zh-TW') : undefined;
const en = (i: CheckItem | undefined, part: 'title' | 'detail' | 'fix' = 'title') =>
  i?.[part] ? render(t, i[part], 'en') : undefined;

const citizen = listedCertificate('c1', 'MOICA', {
  subject: { commonName: '王小明' },
  issuer: 'C=TW, O=行政院, OU=內政部憑證管理中心',
  notAfter: '2030-06-30T16:30:00.000Z',
});
const company = listedCertificate('u1', 'MOEACA', {
  subject: { commonName: '某某股份有限公司', ubn: '12345678' },
  issuer: 'C=TW, O=行政院, OU=工商憑證管理中心',
});
const caCertificate = listedCertificate('ca', 'OTHER', {
  subject: { commonName: '' },
  issuer: 'C=TW, O=行政院',
  keyUsage: ['keyCertSign', 'cRLSign'],
  hasPrivateKey: false,
});

describe('self-check: certificates as a clerk knows them', () => {
  it('names holder and issuer, never a family code with a serial', () => {
    const items = selfCheckItems(report({ certificates: [citizen, company] }), NOW);
    expect(zh(item(items, 'certificate:c1'))).toBe('checkCertificate|王小明 · 內政部憑證管理中心 (MOICA)');
    expect(zh(item(items, 'certificate:u1'))).toBe(
      'checkCertificate|某某股份有限公司 · 經濟部工商憑證管理中心 (MOEACA)',
    );
    expect(en(item(items, 'certificate:u1'))).toContain('MOEA Certification Authority (MOEACA)');
  });

  it('gives a usable certificate ✔ with what it is for and the date in the clerk style', () => {
    const items = selfCheckItems(report({ certificates: [citizen, company] }), NOW);
    expect(item(items, 'certificate:c1')?.level).toBe('ok');
    // 2030-06-30T16:30Z is 00:30 on 1 July in Taipei: ROC 119/07/01.
    expect(zh(item(items, 'certificate:c1'), 'detail')).toBe(
      'certificateUsable|certificateKindPerson|119/07/01',
    );
    expect(en(item(items, 'certificate:c1'), 'detail')).toBe(
      'certificateUsable|certificateKindPerson|2030/07/01',
    );
    expect(zh(item(items, 'certificate:u1'), 'detail')).toContain('certificateKindUnit');
  });

  it('never marks a CA certificate with no name ✔, and says what it is', () => {
    const items = selfCheckItems(report({ certificates: [caCertificate] }), NOW);
    const ca = item(items, 'certificate:ca')!;
    expect(ca.level).toBe('info');
    expect(MARKS[ca.level]).not.toBe(MARKS.ok);
    expect(zh(ca)).toBe('checkCertificate|憑證機構本身的憑證（不是個人或單位的憑證） · 行政院');
    expect(zh(ca)).not.toMatch(/·\s+·/);
    expect(zh(ca, 'detail')).toBe('certificateNotForLogin|certificateIsAuthority');
  });

  it('marks a certificate without its private key as not for logging in', () => {
    const alone = listedCertificate('k', 'MOICA', {
      subject: { commonName: '王小明' },
      hasPrivateKey: false,
    });
    const items = selfCheckItems(report({ certificates: [alone] }), NOW);
    expect(item(items, 'certificate:k')?.level).toBe('info');
    expect(zh(item(items, 'certificate:k'), 'detail')).toBe('certificateNotForLogin|certificateNoKey');
  });

  it('marks an expired certificate as an error with the fix', () => {
    const old = listedCertificate('e', 'MOICA', { notAfter: '2025-01-01T00:00:00.000Z' });
    const items = selfCheckItems(report({ certificates: [old] }), NOW);
    expect(item(items, 'certificate:e')).toMatchObject({ level: 'error', fix: ['fixRenewCertificate'] });
  });

  it('a neutral certificate does not make the whole check fail or warn', () => {
    const items = selfCheckItems(report({ certificates: [citizen, company, caCertificate] }), NOW);
    expect(overallLevel(items)).toBe('ok');
  });
});

describe('self-check: where to apply for a missing certificate', () => {
  it('lists the unit authorities with sites (and phone where known) when no unit certificate is usable', () => {
    const items = selfCheckItems(report({ certificates: [citizen] }), NOW);
    const unit = item(items, 'apply:unit');
    expect(unit?.level).toBe('info');
    const text = zh(unit, 'fix')!;
    for (const family of ['MOEACA', 'GCA', 'XCA'] as const) expect(text).toContain(AUTHORITIES[family].site);
    expect(text).toContain('412-1166');
    expect(item(items, 'apply:person')).toBeUndefined();
  });

  it('lists MOICA when the clerk has neither a citizen certificate nor an NHI card', () => {
    const items = selfCheckItems(report({ certificates: [company] }), NOW);
    expect(zh(item(items, 'apply:person'), 'fix')).toContain('0800-080-117');
    expect(item(items, 'apply:unit')).toBeUndefined();
  });

  it('counts an NHI card in a reader as the clerk’s credential', () => {
    const withCard = report({
      certificates: [company],
      status: status({ type: 'nhi', identifiedBy: 'probe' }),
    });
    expect(item(selfCheckItems(withCard, NOW), 'apply:person')).toBeUndefined();
  });

  it('does not count an expired certificate as having one', () => {
    const old = listedCertificate('e', 'MOEACA', { notAfter: '2025-01-01T00:00:00.000Z' });
    expect(item(selfCheckItems(report({ certificates: [old, citizen] }), NOW), 'apply:unit')).toBeDefined();
  });
});

describe('self-check: browsers', () => {
  it('names the supported browsers and versions from the data', () => {
    const browser = item(selfCheckItems(report(), NOW), 'browser');
    const text = zh(browser, 'detail')!;
    for (const b of SUPPORTED_BROWSERS) expect(text).toContain(`${b.name} ${b.minimum} 以上`);
  });

  it('gives the set-up steps of this browser when it is too old', () => {
    const old = report({ browser: { name: 'Edge', version: '100', minimum: '116', supported: false } });
    const browser = item(selfCheckItems(old, NOW), 'browser');
    expect(browser?.level).toBe('warning');
    expect(zh(browser, 'fix')).toContain(SUPPORTED_BROWSERS.find((b) => b.name === 'Edge')!.setup['zh-TW']);
  });

  it('keeps the minimums equal to the manifest', async () => {
    const { readFileSync } = await import('node:fs');
    const manifest = JSON.parse(readFileSync(new URL('../../../manifest.json', import.meta.url), 'utf8')) as {
      minimum_chrome_version: string;
      browser_specific_settings: { gecko: { strict_min_version: string } };
    };
    for (const b of SUPPORTED_BROWSERS) {
      expect(b.minimum).toBe(
        b.engine === 'firefox'
          ? manifest.browser_specific_settings.gecko.strict_min_version.split('.')[0]
          : manifest.minimum_chrome_version,
      );
    }
  });
});

describe('self-check: the Snap/Flatpak hint only where it explains the failure', () => {
  const ids = (r: SelfCheckReport) => selfCheckItems(r, NOW).map((i) => i.id);

  it.each(['ERR_HOST_NOT_INSTALLED', 'ERR_HOST_FAILED'] as const)('shows it on Linux for %s', (code) => {
    expect(ids(report({ host: { ok: false, code } }))).toContain('sandboxed-browser');
  });

  it('not for an incompatible host, another OS, or a failing smart-card service', () => {
    expect(ids(report({ host: { ok: false, code: 'ERR_HOST_INCOMPATIBLE' } }))).not.toContain(
      'sandboxed-browser',
    );
    expect(ids(report({ os: 'win', host: { ok: false, code: 'ERR_HOST_NOT_INSTALLED' } }))).not.toContain(
      'sandboxed-browser',
    );
    const down = report({
      status: { version: '0.1.0', protocol: 1, pcsc: { available: false }, readers: [], tokens: [] },
    });
    expect(ids(down)).not.toContain('sandboxed-browser');
  });
});

describe('self-check: the clock against an unreachable portal', () => {
  it("is neutral for NHI's own portal (the default): never a warning about an address", () => {
    const items = selfCheckItems(
      report({ clock: { portal: DEFAULT_PORTAL_ADDRESS, error: 'unreachable' } }),
      NOW,
    );
    expect(item(items, 'clock')).toEqual({
      id: 'clock',
      level: 'info',
      title: ['checkClock'],
      detail: ['clockNotNow'],
    });
    expect(overallLevel(items)).toBe('ok');
  });

  it('warns for a portal the clerk or IT configured', () => {
    const items = selfCheckItems(
      report({ clock: { portal: 'https://portal.example.tw', error: 'unreachable' } }),
      NOW,
    );
    expect(item(items, 'clock')?.level).toBe('warning');
  });
});

describe('copy report', () => {
  it('masks a citizen holder name in the holder · issuer title', () => {
    const r = report({ certificates: [citizen] });
    const text = textReport(t, r, selfCheckItems(r, NOW), 'zh-TW');
    expect(text).not.toContain('王小明');
    expect(text).toContain('內政部憑證管理中心 (MOICA)');
  });
});
