/**
 * What the host reads from a certificate (family, holder attributes, key usage, key type, validity,
 * issuer), checked on the test PKI's certificates against Node's own X.509 parser, and the family
 * table checked on the real CA names' wording.
 */
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate, formatName, parseCertificate } from '../../shared/pki/certificateInfo.ts';
import {
  classifyIssuer,
  FAMILIES,
  FAMILY_RULES,
  isUnitFamily,
  type CertificateFamily,
} from '../../shared/pki/families.ts';
import { createTestPki, TEST_IDENTITIES, type LeafName, type TestPki } from '../../lab/pki/testPki.ts';

let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
}, 60_000);

describe('describeCertificate: family', () => {
  it.each([
    ['citizenSign', 'MOICA'],
    ['citizenEncrypt', 'MOICA'],
    ['citizenEc', 'MOICA'],
    ['citizenExpired', 'MOICA'],
    ['company', 'MOEACA'],
    ['agency', 'GCA'],
    ['organisation', 'XCA'],
    ['citizenForeign', 'OTHER'],
  ] as Array<[LeafName, CertificateFamily]>)('%s → %s', (leaf, family) => {
    expect(describeCertificate(pki.leaves[leaf].certificate).family).toBe(family);
  });

  it('does not take the root (Government Root Certification Authority) for a family', () => {
    expect(describeCertificate(pki.root.certificate).family).toBe('OTHER');
  });
});

describe('describeCertificate: subject', () => {
  it('reads the citizen card holder name and the last four digits of the ID number', () => {
    const info = describeCertificate(pki.leaves.citizenSign.certificate);
    expect(info.subject).toEqual({
      commonName: TEST_IDENTITIES.citizen.name,
      idLast4: '6789',
    });
  });

  it('reads the company unified business number (統一編號)', () => {
    expect(describeCertificate(pki.leaves.company.certificate).subject).toEqual({
      commonName: TEST_IDENTITIES.company.name,
      ubn: TEST_IDENTITIES.company.ubn,
    });
  });

  it('reads the organisation id of agency (GCA) and organisation (XCA) certificates', () => {
    expect(describeCertificate(pki.leaves.agency.certificate).subject).toEqual({
      commonName: TEST_IDENTITIES.agency.name,
      organizationId: TEST_IDENTITIES.agency.organizationId,
    });
    expect(describeCertificate(pki.leaves.organisation.certificate).subject).toEqual({
      commonName: TEST_IDENTITIES.organisation.name,
      organizationId: TEST_IDENTITIES.organisation.organizationId,
    });
  });

  it('gives a certificate without subject directory attributes only its common name', () => {
    expect(describeCertificate(pki.cas.MOICA.certificate).subject).toEqual({ commonName: 'TEST MOICA' });
  });
});

describe('describeCertificate: key, usage, validity, issuer', () => {
  it('names the key usage bits', () => {
    expect(describeCertificate(pki.leaves.citizenSign.certificate).keyUsage).toEqual([
      'digitalSignature',
      'nonRepudiation',
    ]);
    expect(describeCertificate(pki.leaves.citizenEncrypt.certificate).keyUsage).toEqual([
      'keyEncipherment',
      'dataEncipherment',
    ]);
    expect(describeCertificate(pki.cas.GCA.certificate).keyUsage).toEqual(['keyCertSign', 'cRLSign']);
  });

  it('tells RSA from EC keys', () => {
    expect(describeCertificate(pki.leaves.citizenSign.certificate).keyType).toBe('RSA');
    expect(describeCertificate(pki.leaves.company.certificate).keyType).toBe('RSA');
    expect(describeCertificate(pki.leaves.citizenEc.certificate).keyType).toBe('EC');
  });

  it.each(['citizenSign', 'citizenEc', 'citizenExpired', 'citizenNotYetValid'] as LeafName[])(
    '%s: validity as Dates equal to what Node reads',
    (leaf) => {
      const der = pki.leaves[leaf].certificate;
      const info = describeCertificate(der);
      const node = new X509Certificate(der);
      expect(info.notBefore).toBeInstanceOf(Date);
      expect(info.notAfter).toBeInstanceOf(Date);
      expect(info.notBefore.getTime()).toBe(new Date(node.validFrom).getTime());
      expect(info.notAfter.getTime()).toBe(new Date(node.validTo).getTime());
    },
  );

  it('sees the expired certificate as ended and the not-yet-valid one as not started', () => {
    const now = Date.now();
    expect(describeCertificate(pki.leaves.citizenExpired.certificate).notAfter.getTime()).toBeLessThan(now);
    expect(
      describeCertificate(pki.leaves.citizenNotYetValid.certificate).notBefore.getTime(),
    ).toBeGreaterThan(now);
  });

  it('gives the serial number in hex, as Node does', () => {
    for (const leaf of ['citizenSign', 'company', 'organisation'] as LeafName[]) {
      const der = pki.leaves[leaf].certificate;
      expect(describeCertificate(der).serialNumber.toUpperCase()).toBe(new X509Certificate(der).serialNumber);
    }
  });

  it.each([
    ['citizenSign', '內政部憑證管理中心 TEST'],
    ['company', '工商憑證管理中心 TEST'],
    ['agency', '政府憑證管理中心 TEST'],
    ['organisation', '組織及團體憑證管理中心 TEST'],
  ] as Array<[LeafName, string]>)('%s: the issuer line holds the issuing CA unit (%s)', (leaf, ou) => {
    const issuer = describeCertificate(pki.leaves[leaf].certificate).issuer;
    expect(issuer).toContain(`OU=${ou}`);
    expect(issuer).toMatch(/^C=TW, O=行政院, OU=.+, CN=TEST (MOICA|MOEACA|GCA|XCA)$/);
  });

  it('formats a name in certificate order with short labels', () => {
    const certificate = parseCertificate(pki.leaves.citizenSign.certificate);
    expect(formatName(certificate.tbsCertificate.subject)).toBe(
      `C=TW, CN=${TEST_IDENTITIES.citizen.name}, serialNumber=${TEST_IDENTITIES.citizen.cardSerial}`,
    );
  });

  it('refuses bytes that are not a certificate', () => {
    expect(() => describeCertificate(Buffer.from('not a certificate'))).toThrow();
  });
});

describe('classifyIssuer on the real CA names', () => {
  const REAL_NAMES: Array<[string, CertificateFamily]> = [
    ['內政部憑證管理中心', 'MOICA'],
    ['工商憑證管理中心', 'MOEACA'],
    ['經濟部工商憑證管理中心', 'MOEACA'],
    ['政府憑證管理中心', 'GCA'],
    ['組織及團體憑證管理中心', 'XCA'],
  ];

  it.each(REAL_NAMES)('%s → %s', (name, family) => {
    expect(classifyIssuer(['TW', '行政院', name])).toBe(family);
  });

  it.each(REAL_NAMES)('%s matches exactly one rule, so the table order cannot decide', (name, family) => {
    const matching = FAMILY_RULES.filter((rule) => rule.issuerPattern.test(name)).map((r) => r.family);
    expect(matching).toEqual([family]);
  });

  it('tells the two unit CAs apart: 組織及團體憑證管理中心 is XCA and 政府憑證管理中心 is GCA', () => {
    // GCA's rule comes before XCA's: an XCA name must not fall into it.
    const order = FAMILY_RULES.map((r) => r.family);
    expect(order.indexOf('GCA')).toBeLessThan(order.indexOf('XCA'));
    expect(classifyIssuer(['C=TW', '行政院', '組織及團體憑證管理中心'])).toBe('XCA');
    expect(classifyIssuer(['C=TW', '行政院', '政府憑證管理中心'])).toBe('GCA');
    expect(classifyIssuer(['XCA'])).toBe('XCA');
    expect(classifyIssuer(['GCA'])).toBe('GCA');
  });

  it('does not take the root CA (政府憑證總管理中心) for GCA', () => {
    expect(classifyIssuer(['TW', '行政院', '政府憑證總管理中心'])).toBe('OTHER');
  });

  it('matches the English abbreviations as whole words only', () => {
    expect(classifyIssuer(['TEST MOICA'])).toBe('MOICA');
    expect(classifyIssuer(['TEST MOEACA'])).toBe('MOEACA');
    expect(classifyIssuer(['MOICA2', 'XGCA', 'XCAB'])).toBe('OTHER');
  });

  it('falls back to OTHER for unknown issuers, an empty name, and a bare 憑證管理中心', () => {
    expect(classifyIssuer(['TEST Rogue CA'])).toBe('OTHER');
    expect(classifyIssuer([])).toBe('OTHER');
    expect(classifyIssuer(['憑證管理中心'])).toBe('OTHER');
  });

  it('reads every issuer value, not only the first', () => {
    expect(classifyIssuer(['TW', 'Some O', 'Some OU', '工商憑證管理中心'])).toBe('MOEACA');
  });
});

describe('isUnitFamily', () => {
  it('is true for unit certificates (MOEACA, GCA, XCA) only', () => {
    expect(FAMILIES.filter((f) => isUnitFamily(f))).toEqual(['MOEACA', 'GCA', 'XCA']);
    expect(isUnitFamily('MOICA')).toBe(false);
    expect(isUnitFamily('OTHER')).toBe(false);
  });
});
