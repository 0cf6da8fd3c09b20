/**
 * Certificates named as a clerk knows them (holder · issuer), the authorities' names and where to
 * apply, as data; and the clerk's UI language the page API's errors are written in.
 */
import { describe, expect, it, vi } from 'vitest';
import { AUTHORITIES, whereToApply } from '../../shared/pki/authorities.ts';
import { certificateIssuer, certificateLabel } from '../../shared/pki/certificateLabel.ts';
import { FAMILY_RULES } from '../../shared/pki/families.ts';
import { listedCertificate } from './extension/listedCertificate.ts';

vi.mock('webextension-polyfill', () => ({ default: {} }));
const { uiLanguage } = await import('../../extension/background/settings.ts');

describe('certificateLabel', () => {
  it('writes holder · issuer for each family, in both languages', () => {
    const company = listedCertificate('1', 'MOEACA', { subject: { commonName: '某某公司' } });
    expect(certificateLabel(company, 'zh-TW')).toBe('某某公司 · 經濟部工商憑證管理中心 (MOEACA)');
    expect(certificateLabel(company, 'en')).toBe('某某公司 · MOEA Certification Authority (MOEACA)');
  });

  it('names another issuer by its CN, else OU, else O, else says it is unknown', () => {
    const other = (issuer: string) => listedCertificate('2', 'OTHER', { issuer });
    expect(certificateIssuer(other('C=TW, O=Foo, CN=Foo Root CA'), 'en')).toBe('Foo Root CA');
    expect(certificateIssuer(other('C=TW, O=Foo, OU=Foo Unit'), 'en')).toBe('Foo Unit');
    expect(certificateIssuer(other('C=TW, O=Foo'), 'en')).toBe('Foo');
    expect(certificateIssuer(other('C=TW'), 'zh-TW')).toBe('不明的發證機構');
  });

  it('says what a certificate without a holder name is, never leaving a blank', () => {
    const ca = listedCertificate('3', 'OTHER', { subject: { commonName: ' ' }, keyUsage: ['keyCertSign'] });
    const blank = listedCertificate('4', 'MOICA', { subject: { commonName: '' } });
    expect(certificateLabel(ca, 'en')).toMatch(/^a certification authority's own certificate/);
    expect(certificateLabel(blank, 'zh-TW')).toBe('沒有持有人名稱的憑證 · 內政部憑證管理中心 (MOICA)');
  });
});

describe('AUTHORITIES', () => {
  it('has every family of the family table, with an https site on nat.gov.tw', () => {
    expect(Object.keys(AUTHORITIES).sort()).toEqual(FAMILY_RULES.map((r) => r.family).sort());
    for (const a of Object.values(AUTHORITIES)) expect(a.site).toMatch(/^https:\/\/[a-z]+\.nat\.gov\.tw$/);
  });

  it("names each authority with the words its issuer DN uses (the family table's pattern)", () => {
    for (const rule of FAMILY_RULES)
      expect(AUTHORITIES[rule.family].name['zh-TW']).toMatch(rule.issuerPattern);
  });

  it('gives the phone only where a source gives one', () => {
    expect(whereToApply('MOICA', 'zh-TW')).toContain('電話 0800-080-117');
    expect(whereToApply('MOEACA', 'en')).toContain('phone 412-1166');
    expect(whereToApply('GCA', 'zh-TW')).not.toContain('電話');
  });
});

describe('uiLanguage (the page API errors are in it)', () => {
  it.each([
    ['zh_TW', 'en-US', 'zh-TW'],
    ['en', 'zh-TW', 'en'],
    [undefined, 'zh-TW', 'zh-TW'],
    [undefined, 'zh', 'zh-TW'],
    [undefined, 'en-GB', 'en'],
    ['fr', 'ja', 'en'],
  ] as const)('choice %s, browser %s → %s', (chosen, browserLanguage, expected) => {
    expect(uiLanguage(chosen, browserLanguage)).toBe(expected);
  });
});
