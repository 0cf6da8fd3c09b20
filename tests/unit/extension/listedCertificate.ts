/** A listed certificate for the prompt tests: valid for years, able to sign, its key in the token. */
import type { ListedCertificateResult } from '../../../shared/protocol/messages.ts';

export const listedCertificate = (
  id: string,
  family: ListedCertificateResult['family'],
  overrides: Partial<ListedCertificateResult> = {},
): ListedCertificateResult => ({
  id,
  token: { kind: 'pkcs11', source: '/usr/lib/pkcs11.so', label: id, serial: id },
  certificate: `MIIB${id}`,
  family,
  subject: { commonName: `holder-${id}` },
  issuer: `CN=${family}`,
  notBefore: '2024-01-01T00:00:00.000Z',
  notAfter: '2099-01-01T00:00:00.000Z',
  keyUsage: ['digitalSignature'],
  hasPrivateKey: true,
  pinpad: false,
  ...overrides,
});
