/**
 * The hash and signature-algorithm vocabulary (shared/crypto): every name it derives is one Node,
 * WebCrypto and the ASN.1 encodings agree with.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import {
  HASHES,
  HASH_NAMES,
  hashFromOid,
  hashLength,
  isHashName,
  nodeHashName,
} from '../../shared/crypto/hashes.ts';
import {
  CURVES,
  JWA_ALGORITHM_NAMES,
  JWA_ALGORITHMS,
  curveFromNodeName,
  jwaName,
  schemeFromSignatureOid,
  SIGNATURE_OIDS,
  type CurveName,
} from '../../shared/crypto/signatureAlgorithms.ts';

const data = new TextEncoder().encode('卡橋 CardBridge');

describe('hashes', () => {
  it('names SHA-256, SHA-384 and SHA-512 only (no SHA-1, no MD5)', () => {
    expect(HASH_NAMES).toEqual(['SHA-256', 'SHA-384', 'SHA-512']);
    expect(isHashName('SHA-1')).toBe(false);
    expect(isHashName('sha256')).toBe(false);
    expect(isHashName('toString')).toBe(false);
    expect(hashFromOid('1.3.14.3.2.26')).toBeUndefined(); // SHA-1
  });

  it.each(HASH_NAMES)('%s: WebCrypto and Node compute the same digest of the tabled length', async (hash) => {
    const web = Buffer.from(await crypto.subtle.digest(hash, data));
    const node = createHash(nodeHashName(hash)).update(data).digest();
    expect(web.equals(node)).toBe(true);
    expect(node.length).toBe(hashLength(hash));
  });

  it.each(HASH_NAMES)('%s: the OID maps back, and the DigestInfo prefix holds that OID', (hash) => {
    expect(hashFromOid(HASHES[hash].oid)).toBe(hash);
    const oidDer = Buffer.from(
      AsnConvert.serialize(new AlgorithmIdentifier({ algorithm: HASHES[hash].oid })),
    );
    const prefix = Buffer.from(HASHES[hash].digestInfoPrefix, 'hex');
    // The OID's own DER (06 09 …) sits inside the prefix; the prefix ends with OCTET STRING of the length.
    expect(prefix.includes(oidDer.subarray(2, 2 + 11))).toBe(true);
    expect(prefix.subarray(-2).equals(Buffer.from([0x04, hashLength(hash)]))).toBe(true);
  });
});

describe('signature algorithms', () => {
  it('names every scheme × hash once with a JWA name, and jwaName finds it', () => {
    expect(JWA_ALGORITHM_NAMES).toHaveLength(9);
    for (const name of JWA_ALGORITHM_NAMES) {
      const spec = JWA_ALGORITHMS[name];
      expect(jwaName(spec.scheme, spec.hash)).toBe(name);
      expect(name.slice(2)).toBe(spec.hash.slice(4));
    }
    expect(jwaName('pss', 'SHA-384')).toBe('PS384');
    expect(jwaName('ecdsa', 'SHA-512')).toBe('ES512');
  });

  it.each(Object.keys(CURVES) as CurveName[])('%s: Node knows the curve and it maps back', (curve) => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: CURVES[curve].node });
    expect(curveFromNodeName(publicKey.asymmetricKeyDetails?.namedCurve)).toBe(curve);
    const es = JWA_ALGORITHM_NAMES.find(
      (n) => 'curve' in JWA_ALGORITHMS[n] && JWA_ALGORITHMS[n].curve === curve,
    );
    expect(es && JWA_ALGORITHMS[es].hash).toBe(CURVES[curve].hash);
  });

  it('maps signature OIDs back to scheme and hash, and knows no SHA-1 one', () => {
    for (const scheme of ['pkcs1', 'ecdsa'] as const) {
      for (const hash of HASH_NAMES) {
        expect(schemeFromSignatureOid(SIGNATURE_OIDS[scheme][hash])).toEqual({ scheme, hash });
      }
    }
    expect(schemeFromSignatureOid('1.2.840.113549.1.1.5')).toBeUndefined(); // sha1WithRSAEncryption
    expect(curveFromNodeName('secp256k1')).toBeUndefined();
  });
});
