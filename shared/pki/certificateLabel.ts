/**
 * A certificate as a clerk knows it: holder · issuer (王小明 · 內政部憑證管理中心 (MOICA)), never a
 * family code with a serial number. A certificate with no holder name says what it is instead (a
 * certification authority's own certificate, or one without a name). Browser-safe.
 */
import type { LocalizedText } from '../protocol/errors.ts';
import type { ListedCertificateResult } from '../protocol/messages.ts';
import { AUTHORITIES, type Language } from './authorities.ts';

type Labelled = Pick<ListedCertificateResult, 'family' | 'subject' | 'issuer' | 'keyUsage'>;

const CA_CERTIFICATE: LocalizedText = {
  'zh-TW': '憑證機構本身的憑證（不是個人或單位的憑證）',
  en: "a certification authority's own certificate (not a person's or a unit's)",
};
const NO_HOLDER: LocalizedText = { 'zh-TW': '沒有持有人名稱的憑證', en: 'a certificate with no holder name' };
const UNKNOWN_ISSUER: LocalizedText = { 'zh-TW': '不明的發證機構', en: 'unknown issuer' };

/** A named attribute (CN, O, OU) of a one-line distinguished name as certificateInfo.formatName writes it. */
function nameAttribute(dn: string, label: string): string | undefined {
  for (const part of dn.split(/,\s*/)) {
    const [key, ...rest] = part.split('=');
    if (key === label && rest.join('=').trim()) return rest.join('=').trim();
  }
  return undefined;
}

export function certificateHolder(certificate: Labelled, language: Language): string {
  const name = certificate.subject.commonName.trim();
  if (name) return name;
  return (certificate.keyUsage.includes('keyCertSign') ? CA_CERTIFICATE : NO_HOLDER)[language];
}

export function certificateIssuer(certificate: Labelled, language: Language): string {
  if (certificate.family !== 'OTHER') return AUTHORITIES[certificate.family].name[language];
  return (
    nameAttribute(certificate.issuer, 'CN') ??
    nameAttribute(certificate.issuer, 'OU') ??
    nameAttribute(certificate.issuer, 'O') ??
    UNKNOWN_ISSUER[language]
  );
}

/** 「王小明 · 內政部憑證管理中心 (MOICA)」 */
export function certificateLabel(certificate: Labelled, language: Language): string {
  return `${certificateHolder(certificate, language)} · ${certificateIssuer(certificate, language)}`;
}

/** Both languages at once, for texts built before the language is known (the self-check's items). */
export function certificateLabelText(certificate: Labelled): LocalizedText {
  return { 'zh-TW': certificateLabel(certificate, 'zh-TW'), en: certificateLabel(certificate, 'en') };
}
