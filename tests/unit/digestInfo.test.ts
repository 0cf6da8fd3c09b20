/**
 * DigestInfo (RFC 8017 §9.2) as the host builds it for a token's raw CKM_RSA_PKCS: it must be exactly
 * the bytes OpenSSL (through Node) puts inside a PKCS#1 v1.5 signature.
 */
import {
  constants,
  createHash,
  generateKeyPairSync,
  privateEncrypt,
  publicDecrypt,
  sign,
  verify,
} from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HASH_NAMES, hashLength, nodeHashName, type HashName } from '../../shared/crypto/hashes.ts';
import { digestInfo } from '../../native-host/src/tokens/digestInfo.ts';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const HASHES = HASH_NAMES;
const data = Buffer.from('CardBridge 卡橋 DigestInfo test document');

describe('digestInfo', () => {
  it.each(HASHES)('%s: equals the DigestInfo inside a signature Node makes', (hash) => {
    const signature = sign(nodeHashName(hash), data, privateKey);
    // Undo the RSA operation and the PKCS#1 type 1 padding: what is left is the signed DigestInfo.
    const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    const digest = createHash(nodeHashName(hash)).update(data).digest();
    expect(digestInfo(hash, digest).equals(recovered)).toBe(true);
  });

  it.each(HASHES)('%s: a raw RSA-PKCS#1 over it is a signature Node verifies', (hash) => {
    const digest = createHash(nodeHashName(hash)).update(data).digest();
    // What a token's CKM_RSA_PKCS does with the DigestInfo the host hands it.
    const signature = privateEncrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
      digestInfo(hash, digest),
    );
    expect(verify(nodeHashName(hash), data, publicKey, signature)).toBe(true);
    expect(verify(nodeHashName(hash), Buffer.from('another document'), publicKey, signature)).toBe(false);
  });

  it('ends with the digest itself, after a prefix of the algorithm', () => {
    const digest = createHash('sha384').update(data).digest();
    const info = digestInfo('SHA-384', digest);
    expect(info.length).toBe(19 + 48);
    expect(info.subarray(19).equals(digest)).toBe(true);
    expect(info[0]).toBe(0x30);
    expect(info[1]).toBe(info.length - 2);
  });

  it.each([
    ['SHA-256', 20],
    ['SHA-256', 48],
    ['SHA-384', 32],
    ['SHA-512', 48],
    ['SHA-512', 0],
  ] as Array<[HashName, number]>)('%s with a %i-byte digest throws', (hash, length) => {
    expect(() => digestInfo(hash, Buffer.alloc(length))).toThrow(
      `${hash} digest must be ${hashLength(hash)} bytes`,
    );
  });
});

describe('nodeHashName and hashLength', () => {
  it.each(HASHES)('%s: Node name and digest length agree with Node', (hash) => {
    expect(createHash(nodeHashName(hash)).update(data).digest().length).toBe(hashLength(hash));
  });

  it('maps the names', () => {
    expect(HASHES.map((h) => nodeHashName(h))).toEqual(['sha256', 'sha384', 'sha512']);
  });
});
