/**
 * The certification authorities a clerk deals with, as data: the name a clerk knows each one by, and
 * where and how to apply for its certificate. Shown by the self-check, the prompt's refusal and the
 * registration page. Browser-safe.
 *
 * Sources (checked 2026-12): names — ../shared/reference/taiwan-nhi-facts.md (issuer DNs); MOICA
 * phone 0800-080-117 — moica.nat.gov.tw/news_in_148b0a91f42000007f95.html; MOEACA phone 412-1166 —
 * moeaca.nat.gov.tw/web3/q&a_07.html; GCA and XCA sites — gca.nat.gov.tw/web2/faq-05.html,
 * xca.nat.gov.tw/web2/faq-02.html (no phone number found in a public source: none is shown).
 */
import type { LocalizedText } from '../protocol/errors.ts';
import type { CertificateFamily } from './families.ts';

export interface Authority {
  /** The authority as a clerk knows it, e.g. 內政部憑證管理中心 (MOICA). */
  name: LocalizedText;
  /** The certificate it issues, e.g. 自然人憑證. */
  certificate: LocalizedText;
  /** Who may apply and where. */
  applyAt: LocalizedText;
  site: string;
  /** Customer-service number, only where a public source gives it. */
  phone?: string;
}

export const AUTHORITIES: Readonly<Record<Exclude<CertificateFamily, 'OTHER'>, Authority>> = {
  MOICA: {
    name: { 'zh-TW': '內政部憑證管理中心 (MOICA)', en: 'MOI Certification Authority (MOICA)' },
    certificate: { 'zh-TW': '自然人憑證', en: 'citizen certificate' },
    applyAt: {
      'zh-TW': '年滿 18 歲的國民，帶身分證到任一戶政事務所申辦',
      en: 'citizens aged 18 or over, with their ID card, at any household registration office',
    },
    site: 'https://moica.nat.gov.tw',
    phone: '0800-080-117',
  },
  MOEACA: {
    name: { 'zh-TW': '經濟部工商憑證管理中心 (MOEACA)', en: 'MOEA Certification Authority (MOEACA)' },
    certificate: { 'zh-TW': '工商憑證', en: 'company certificate' },
    applyAt: {
      'zh-TW': '公司、分公司及商業，在工商憑證網站線上申請',
      en: 'companies, branches and firms, online at the MOEACA site',
    },
    site: 'https://moeaca.nat.gov.tw',
    phone: '412-1166',
  },
  GCA: {
    name: { 'zh-TW': '政府憑證管理中心 (GCA)', en: 'Government Certification Authority (GCA)' },
    certificate: { 'zh-TW': '政府機關憑證', en: 'government agency certificate' },
    applyAt: {
      'zh-TW': '政府機關（構）、單位，依 GCA 網站說明申請',
      en: 'government agencies, as the GCA site explains',
    },
    site: 'https://gca.nat.gov.tw',
  },
  XCA: {
    name: {
      'zh-TW': '組織及團體憑證管理中心 (XCA)',
      en: 'Organisation and Group Certification Authority (XCA)',
    },
    certificate: { 'zh-TW': '組織及團體憑證', en: 'organisation certificate' },
    applyAt: {
      'zh-TW': '學校、財團法人、社團法人、自由職業事務所等，經主管機關的初審窗口申請',
      en: 'schools, foundations, associations, professional offices, through their supervising authority',
    },
    site: 'https://xca.nat.gov.tw',
  },
};

export type Language = keyof LocalizedText;

/** One line a clerk can act on: 「自然人憑證：年滿 18 歲…；https://moica.nat.gov.tw，電話 0800-080-117」. */
export function whereToApply(family: keyof typeof AUTHORITIES, language: Language): string {
  const a = AUTHORITIES[family];
  const phone = a.phone ? (language === 'zh-TW' ? `，電話 ${a.phone}` : `, phone ${a.phone}`) : '';
  return language === 'zh-TW'
    ? `${a.certificate['zh-TW']}（${a.name['zh-TW']}）：${a.applyAt['zh-TW']}；${a.site}${phone}`
    : `${a.certificate.en} (${a.name.en}): ${a.applyAt.en}; ${a.site}${phone}`;
}
