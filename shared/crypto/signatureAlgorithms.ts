/**
 * Signature algorithms, named once: the schemes (RSA PKCS#1 v1.5, RSA-PSS, ECDSA), the EC curves
 * (WebCrypto name → Node's name and the hash that goes with it), the JWA names the web-eid token and
 * the host's replies use (RS256 … ES512), and the X.509 / CMS signature OIDs. Browser-safe.
 */
import { HASH_NAMES, type HashName } from './hashes.ts';

export type SignatureSchemeName = 'pkcs1' | 'pss' | 'ecdsa';

export const CURVES = {
  'P-256': { node: 'prime256v1', hash: 'SHA-256' },
  'P-384': { node: 'secp384r1', hash: 'SHA-384' },
  'P-521': { node: 'secp521r1', hash: 'SHA-512' },
} as const satisfies Record<string, { node: string; hash: HashName }>;

export type CurveName = keyof typeof CURVES;
export type NodeCurveName = (typeof CURVES)[CurveName]['node'];

/** The WebCrypto curve name of Node's `namedCurve`, or undefined for a curve we do not use. */
export function curveFromNodeName(namedCurve: string | undefined): CurveName | undefined {
  return (Object.keys(CURVES) as CurveName[]).find((curve) => CURVES[curve].node === namedCurve);
}

export interface JwaAlgorithmSpec {
  hash: HashName;
  scheme: SignatureSchemeName;
  /** ECDSA: the curve the key must be on. */
  curve?: CurveName;
}

/** JWA names (RFC 7518 §3.1). ECDSA signatures under these names are raw r‖s (IEEE P1363). */
export const JWA_ALGORITHMS = {
  RS256: { hash: 'SHA-256', scheme: 'pkcs1' },
  RS384: { hash: 'SHA-384', scheme: 'pkcs1' },
  RS512: { hash: 'SHA-512', scheme: 'pkcs1' },
  PS256: { hash: 'SHA-256', scheme: 'pss' },
  PS384: { hash: 'SHA-384', scheme: 'pss' },
  PS512: { hash: 'SHA-512', scheme: 'pss' },
  ES256: { hash: 'SHA-256', scheme: 'ecdsa', curve: 'P-256' },
  ES384: { hash: 'SHA-384', scheme: 'ecdsa', curve: 'P-384' },
  ES512: { hash: 'SHA-512', scheme: 'ecdsa', curve: 'P-521' },
} as const satisfies Record<string, JwaAlgorithmSpec>;

export type JwaAlgorithm = keyof typeof JWA_ALGORITHMS;
export const JWA_ALGORITHM_NAMES = Object.keys(JWA_ALGORITHMS) as JwaAlgorithm[];

/** The JWA name of a scheme and hash (PKCS#1 + SHA-384 → RS384). */
export function jwaName(scheme: SignatureSchemeName, hash: HashName): JwaAlgorithm {
  const name = JWA_ALGORITHM_NAMES.find(
    (n) => JWA_ALGORITHMS[n].scheme === scheme && JWA_ALGORITHMS[n].hash === hash,
  );
  // Every scheme × hash pair is in the table; this guards the table, not the input.
  if (!name) throw new Error(`no JWA name for ${scheme} with ${hash}`);
  return name;
}

export const OID_RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const OID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
export const OID_MGF1 = '1.2.840.113549.1.1.8';

/** Signature algorithm OIDs with their hash built in (sha256WithRSAEncryption, ecdsa-with-SHA256 …). */
export const SIGNATURE_OIDS = {
  pkcs1: {
    'SHA-256': '1.2.840.113549.1.1.11',
    'SHA-384': '1.2.840.113549.1.1.12',
    'SHA-512': '1.2.840.113549.1.1.13',
  },
  ecdsa: {
    'SHA-256': '1.2.840.10045.4.3.2',
    'SHA-384': '1.2.840.10045.4.3.3',
    'SHA-512': '1.2.840.10045.4.3.4',
  },
} as const satisfies Record<'pkcs1' | 'ecdsa', Record<HashName, string>>;

/** The scheme and hash of a signature OID that names both, or undefined. */
export function schemeFromSignatureOid(
  oid: string,
): { scheme: 'pkcs1' | 'ecdsa'; hash: HashName } | undefined {
  for (const scheme of ['pkcs1', 'ecdsa'] as const) {
    const hash = HASH_NAMES.find((h) => SIGNATURE_OIDS[scheme][h] === oid);
    if (hash) return { scheme, hash };
  }
  return undefined;
}
