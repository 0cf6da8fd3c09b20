/**
 * Loads the trust store from PORTAL_TRUST_DIR: every file holds one or more certificates or CRLs, PEM
 * or DER. Self-signed CA certificates become anchors, other CA certificates intermediates.
 */
import { X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TrustStore, type TrustMaterial } from '../../shared/node/pki/trustStore.ts';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function readTrustMaterial(dir: string): TrustMaterial {
  const material: Required<TrustMaterial> = { anchors: [], intermediates: [], crls: [] };
  const addCertificate = (der: Buffer, file: string) => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(der);
    } catch {
      throw new Error(`PORTAL_TRUST_DIR: ${file} is neither a certificate nor a CRL`);
    }
    const selfSigned = cert.subject === cert.issuer && cert.checkIssued(cert) && cert.verify(cert.publicKey);
    (selfSigned ? material.anchors : material.intermediates).push(der);
  };
  for (const name of readdirSync(dir).sort()) {
    const file = join(dir, name);
    if (!statSync(file).isFile()) continue;
    const bytes = readFileSync(file);
    const text = bytes.toString('latin1');
    if (text.includes('-----BEGIN ')) {
      for (const match of text.matchAll(PEM_BLOCK)) {
        const der = Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64');
        if (match[1] === 'X509 CRL') material.crls.push(der);
        else if (match[1] === 'CERTIFICATE') addCertificate(der, file);
      }
    } else if (/\.crl$/i.test(name)) {
      material.crls.push(bytes);
    } else {
      try {
        addCertificate(bytes, file);
      } catch {
        material.crls.push(bytes);
      }
    }
  }
  return material;
}

/** The trust store of a directory; undefined when the directory holds no anchor. */
export function loadTrustStore(dir: string): TrustStore | undefined {
  const material = readTrustMaterial(dir);
  return material.anchors.length > 0 ? new TrustStore(material) : undefined;
}
