/**
 * X.509 / CMS signature AlgorithmIdentifiers → what Node's crypto needs, and the verification itself
 * (Node's crypto, OpenSSL). Names and OIDs come from ../../crypto/ (hashes, signature algorithms).
 */
import { verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { RsaSaPssParams } from '@peculiar/asn1-rsa';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { hashFromOid, hashLength, nodeHashName, type HashName } from '../../crypto/hashes.ts';
import {
  OID_EC_PUBLIC_KEY,
  OID_MGF1,
  OID_RSA_ENCRYPTION,
  OID_RSASSA_PSS,
  schemeFromSignatureOid,
  type SignatureSchemeName,
} from '../../crypto/signatureAlgorithms.ts';

export interface SignatureScheme {
  hash: HashName;
  scheme: SignatureSchemeName;
  /** PSS only: the salt length in bytes. */
  saltLength?: number;
}

function pssScheme(parameters: ArrayBuffer | null | undefined): SignatureScheme | undefined {
  // Absent parameters mean SHA-1 defaults, which are refused (so are absent fields, SHA-1 by default).
  if (!parameters) return undefined;
  const params = AsnConvert.parse(parameters, RsaSaPssParams);
  const hash = hashFromOid(params.hashAlgorithm.algorithm);
  const mgf = params.maskGenAlgorithm;
  if (!hash || mgf.algorithm !== OID_MGF1 || !mgf.parameters) return undefined;
  // Node verifies PSS with MGF1 over the signature's own hash: anything else is unsupported.
  const mgfHash = hashFromOid(AsnConvert.parse(mgf.parameters, AlgorithmIdentifier).algorithm);
  if (mgfHash !== hash || params.trailerField !== 1) return undefined;
  if (!Number.isSafeInteger(params.saltLength) || params.saltLength < 0) return undefined;
  return { hash, scheme: 'pss', saltLength: params.saltLength };
}

/**
 * Maps an X.509 / CMS signature AlgorithmIdentifier to what Node needs. `digestHash` is the CMS
 * digestAlgorithm, used when the signature algorithm names only the key type (rsaEncryption,
 * ecPublicKey). Returns undefined for anything unsupported or weak (SHA-1, MD5, bad PSS parameters).
 */
export function resolveSignatureAlgorithm(
  algorithm: AlgorithmIdentifier,
  digestHash?: HashName,
): SignatureScheme | undefined {
  const known = schemeFromSignatureOid(algorithm.algorithm);
  if (known) return known;
  try {
    if (algorithm.algorithm === OID_RSASSA_PSS) return pssScheme(algorithm.parameters);
  } catch {
    return undefined;
  }
  if (digestHash && algorithm.algorithm === OID_RSA_ENCRYPTION) return { hash: digestHash, scheme: 'pkcs1' };
  if (digestHash && algorithm.algorithm === OID_EC_PUBLIC_KEY) return { hash: digestHash, scheme: 'ecdsa' };
  return undefined;
}

/** Whether a public key can be used with a scheme (RSA for PKCS#1 / PSS, EC for ECDSA). */
export function keyFitsScheme(publicKey: KeyObject, scheme: SignatureSchemeName): boolean {
  const type = publicKey.asymmetricKeyType;
  if (scheme === 'ecdsa') return type === 'ec';
  if (scheme === 'pss') return type === 'rsa' || type === 'rsa-pss';
  return type === 'rsa';
}

// node:crypto constants (kept local: importing `constants` pulls the whole object into a hot path).
const RSA_PKCS1_PADDING = 1;
const RSA_PKCS1_PSS_PADDING = 6;

/**
 * Verifies `signature` over `data` (hash-then-sign with `scheme.hash`) with Node's crypto. ECDSA
 * signatures are DER (X.509, CMS) or raw r‖s ('ieee-p1363', Web eID tokens). Never throws.
 */
export function verifySignature(
  scheme: SignatureScheme,
  data: Uint8Array,
  publicKey: KeyObject,
  signature: Uint8Array,
  dsaEncoding: 'der' | 'ieee-p1363' = 'der',
): boolean {
  if (!keyFitsScheme(publicKey, scheme.scheme)) return false;
  const hash = nodeHashName(scheme.hash);
  try {
    switch (scheme.scheme) {
      case 'pkcs1':
        return cryptoVerify(hash, data, { key: publicKey, padding: RSA_PKCS1_PADDING }, signature);
      case 'pss':
        return cryptoVerify(
          hash,
          data,
          {
            key: publicKey,
            padding: RSA_PKCS1_PSS_PADDING,
            saltLength: scheme.saltLength ?? hashLength(scheme.hash),
          },
          signature,
        );
      case 'ecdsa':
        return cryptoVerify(hash, data, { key: publicKey, dsaEncoding }, signature);
    }
  } catch {
    return false;
  }
}
