/** PORTAL_TRUST_DIR: anchors, intermediates and CRLs as DER or PEM files. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrustStore, readTrustMaterial } from '../../../portal/src/trust.ts';
import { createTestPki, type TestPki } from '../../../lab/pki/testPki.ts';

let pki: TestPki;
let dir: string;

const pem = (label: string, der: Buffer) =>
  `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`;

beforeAll(async () => {
  pki = await createTestPki();
  dir = mkdtempSync(join(tmpdir(), 'cardbridge-trust-'));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trust directory', () => {
  it('sorts DER and PEM files into anchors, intermediates and CRLs', () => {
    writeFileSync(join(dir, 'root.cer'), pki.root.certificate);
    writeFileSync(
      join(dir, 'cas.pem'),
      [pki.cas.MOICA, pki.cas.MOEACA].map((c) => pem('CERTIFICATE', c.certificate)).join(''),
    );
    writeFileSync(join(dir, 'gca.der'), pki.cas.GCA.certificate);
    writeFileSync(join(dir, 'moica.crl'), pki.crls.MOICA);
    writeFileSync(join(dir, 'moeaca-crl.pem'), pem('X509 CRL', pki.crls.MOEACA));
    const material = readTrustMaterial(dir);
    expect(material.anchors).toHaveLength(1);
    expect(Buffer.from(material.anchors[0]!).equals(pki.root.certificate)).toBe(true);
    expect(material.intermediates).toHaveLength(3);
    expect(material.crls).toHaveLength(2);
    const store = loadTrustStore(dir)!;
    expect(store.validate(pki.leaves.citizenSign.certificate, { now: new Date() }).info.family).toBe('MOICA');
    expect(() => store.validate(pki.leaves.citizenRevoked.certificate, { now: new Date() })).toThrow(
      /REVOKED/,
    );
  });

  it('gives no store for a directory without anchors', () => {
    const empty = mkdtempSync(join(tmpdir(), 'cardbridge-trust-empty-'));
    try {
      writeFileSync(join(empty, 'ca.cer'), pki.cas.MOICA.certificate);
      expect(loadTrustStore(empty)).toBeUndefined();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
