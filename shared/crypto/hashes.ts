/**
 * The one vocabulary for hash functions. A hash is named the WebCrypto way everywhere ('SHA-256'), which
 * is also the host protocol's `hashFunction`; Node's name, the PKCS#11 mechanism name (CKM_SHA256 …),
 * the output length, the NIST OID (CMS, X.509) and the DER DigestInfo prefix (RSA PKCS#1 v1.5,
 * RFC 8017 §9.2 note 1) are read from this table.
 * SHA-1 and MD5 are deliberately absent. Browser-safe.
 */

export const HASHES = {
  'SHA-256': {
    bytes: 32,
    node: 'sha256',
    pkcs11: 'SHA256',
    /** CKM_SHA256 and CKG_MGF1_SHA256, the numbers a PKCS#11 module takes (PKCS#11 v2.40 pkcs11t.h). */
    pkcs11Mechanism: 0x250,
    pkcs11Mgf: 0x2,
    oid: '2.16.840.1.101.3.4.2.1',
    digestInfoPrefix: '3031300d060960864801650304020105000420',
  },
  'SHA-384': {
    bytes: 48,
    node: 'sha384',
    pkcs11: 'SHA384',
    /** CKM_SHA384 and CKG_MGF1_SHA384, the numbers a PKCS#11 module takes (PKCS#11 v2.40 pkcs11t.h). */
    pkcs11Mechanism: 0x260,
    pkcs11Mgf: 0x3,
    oid: '2.16.840.1.101.3.4.2.2',
    digestInfoPrefix: '3041300d060960864801650304020205000430',
  },
  'SHA-512': {
    bytes: 64,
    node: 'sha512',
    pkcs11: 'SHA512',
    /** CKM_SHA512 and CKG_MGF1_SHA512, the numbers a PKCS#11 module takes (PKCS#11 v2.40 pkcs11t.h). */
    pkcs11Mechanism: 0x270,
    pkcs11Mgf: 0x4,
    oid: '2.16.840.1.101.3.4.2.3',
    digestInfoPrefix: '3051300d060960864801650304020305000440',
  },
} as const;

export type HashName = keyof typeof HASHES;
export type NodeHashName = (typeof HASHES)[HashName]['node'];

export const HASH_NAMES = Object.keys(HASHES) as HashName[];

/** Output length in bytes. */
export function hashLength(hash: HashName): number {
  return HASHES[hash].bytes;
}

/** The name Node's `createHash` / `sign` / `verify` take. */
export function nodeHashName(hash: HashName): NodeHashName {
  return HASHES[hash].node;
}

/** The hash of a digest AlgorithmIdentifier OID, or undefined when it is not one we accept. */
export function hashFromOid(oid: string): HashName | undefined {
  return HASH_NAMES.find((hash) => HASHES[hash].oid === oid);
}

export function isHashName(value: unknown): value is HashName {
  return typeof value === 'string' && Object.hasOwn(HASHES, value);
}
