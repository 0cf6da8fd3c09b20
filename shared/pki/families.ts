/**
 * Certificate families, as data. Taiwan's GPKI CAs are told apart by their issuer names (the test PKI
 * keeps the same wording, so real and test certificates classify through this one table) and carry
 * holder attributes in the subject directory attributes extension.
 * Source: ../shared/reference/taiwan-nhi-facts.md. The attribute OIDs and the policy OID come from
 * third-party code only (UNCONFIRMED): they are data here, to be corrected without code changes.
 */
export const FAMILIES = ['MOICA', 'MOEACA', 'GCA', 'XCA', 'OTHER'] as const;
export type CertificateFamily = (typeof FAMILIES)[number];

export interface FamilyRule {
  family: Exclude<CertificateFamily, 'OTHER'>;
  /** Matched against the issuer's OU / O / CN values. */
  issuerPattern: RegExp;
  /** Whether a certificate of this family stands for a unit (單位憑證) rather than a person. */
  unit: boolean;
}

export const FAMILY_RULES: readonly FamilyRule[] = [
  { family: 'MOICA', issuerPattern: /內政部憑證管理中心|\bMOICA\b/, unit: false },
  { family: 'MOEACA', issuerPattern: /工商憑證管理中心|\bMOEACA\b/, unit: true },
  { family: 'GCA', issuerPattern: /政府憑證管理中心|\bGCA\b/, unit: true },
  { family: 'XCA', issuerPattern: /組織及團體憑證管理中心|\bXCA\b/, unit: true },
];

/** Subject directory attribute OIDs (UNCONFIRMED, see above). */
export const SUBJECT_ATTRIBUTE_OIDS = {
  /** MOICA: last four digits of the holder's ID number. */
  idLast4: '2.16.886.1.100.2.51',
  /** MOEACA: the company's unified business number (統一編號). */
  ubn: '2.16.886.1.100.2.101',
  /** GCA / XCA: the organisation's id. */
  organizationId: '2.16.886.1.100.2.102',
} as const;

/** GPKI assurance class 3 policy (UNCONFIRMED). */
export const GPKI_CLASS3_POLICY = '2.16.886.101.0.3.3';

export function classifyIssuer(issuerValues: readonly string[]): CertificateFamily {
  const text = issuerValues.join('\n');
  return FAMILY_RULES.find((rule) => rule.issuerPattern.test(text))?.family ?? 'OTHER';
}

export function isUnitFamily(family: CertificateFamily): boolean {
  return FAMILY_RULES.some((rule) => rule.family === family && rule.unit);
}
