/** The CMS signed-attribute types CardBridge writes and reads (RFC 5652 §11, RFC 2634, RFC 5035). */
export const CMS_ATTRIBUTE_OIDS = {
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
} as const;
