/**
 * A PKCS#12 file as a token: its password is the PIN. Certificates are listed from the file's
 * unencrypted bags (a file whose certificates are encrypted too shows as a token without
 * certificates until IT exports it with readable certificates). Signing decrypts the key for one
 * operation only. RSA (PKCS#1 v1.5 and PSS) over a precomputed digest; node-forge does the padding,
 * since Node's crypto cannot sign a digest it did not compute itself.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { HostError } from '../../hostError.ts';
import { nodeHashName } from '../../../../shared/crypto/hashes.ts';
import type { SignInput, TokenCertificate, TokenInfo, TokenProvider } from '../types.ts';

// PKCS#12 bag types (RFC 7292 §4.2).
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';

const DATA = '1.2.840.113549.1.7.1';
const X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';

function isCaCertificate(der: Buffer): boolean {
  try {
    return new X509Certificate(der).ca;
  } catch {
    return true; // unreadable: not offered
  }
}

/** A certificate's key id inside a file: a hash of the certificate (stable, file-order free). */
function certificateKeyId(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

type Asn1 = forge.asn1.Asn1;
const oidOf = (node: Asn1 | undefined) => (node ? forge.asn1.derToOid(node.value as string) : '');
const child = (node: Asn1 | undefined, index: number): Asn1 | undefined =>
  Array.isArray(node?.value) ? node.value[index] : undefined;

/** The bytes of an OCTET STRING, joined when it is BER-constructed in pieces. */
function octets(node: Asn1 | undefined): string {
  if (!node) throw new Error('missing OCTET STRING');
  return Array.isArray(node.value) ? node.value.map((n) => octets(n)).join('') : node.value;
}

/**
 * Certificates from the file's unencrypted safe contents, read without the password (which would
 * otherwise be needed for the MAC check): PFX → AuthenticatedSafe → SafeContents → CertBag.
 */
function unencryptedCertificates(der: forge.util.ByteStringBuffer): Buffer[] {
  const pfx = forge.asn1.fromDer(der);
  const authSafe = child(pfx, 1);
  if (oidOf(child(authSafe, 0)) !== DATA) return [];
  const contentInfos = forge.asn1.fromDer(octets(child(child(authSafe, 1), 0)));
  const out: Buffer[] = [];
  for (const contentInfo of contentInfos.value as Asn1[]) {
    if (oidOf(child(contentInfo, 0)) !== DATA) continue; // encrypted safe: needs the password
    const safeContents = forge.asn1.fromDer(octets(child(child(contentInfo, 1), 0)));
    for (const bag of safeContents.value as Asn1[]) {
      if (oidOf(child(bag, 0)) !== CERT_BAG) continue;
      const certBag = child(child(bag, 1), 0);
      if (oidOf(child(certBag, 0)) !== X509_CERTIFICATE) continue;
      out.push(Buffer.from(octets(child(child(certBag, 1), 0)), 'binary'));
    }
  }
  return out;
}

interface Bags {
  certificates: Buffer[];
  keys: number;
}

function readBags(p12: forge.pkcs12.Pkcs12Pfx): Bags {
  const certificates = (p12.getBags({ bagType: CERT_BAG })[CERT_BAG] ?? [])
    .filter((bag) => bag.cert)
    .map((bag) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert!)).getBytes(), 'binary'));
  const shrouded = p12.getBags({ bagType: SHROUDED_KEY_BAG })[SHROUDED_KEY_BAG] ?? [];
  const plain = p12.getBags({ bagType: KEY_BAG })[KEY_BAG] ?? [];
  return { certificates, keys: shrouded.length + plain.length };
}

export class Pkcs12Token implements TokenProvider {
  private readonly der: forge.util.ByteStringBuffer;

  constructor(readonly source: string) {
    try {
      this.der = forge.util.createBuffer(readFileSync(source).toString('binary'));
    } catch (error) {
      throw new HostError('ERR_TOKEN_UNAVAILABLE', `cannot read ${source}: ${(error as Error).message}`);
    }
  }

  private get info(): TokenInfo {
    return {
      kind: 'pkcs12',
      source: this.source,
      label: path.basename(this.source),
      serial: createHash('sha256').update(this.der.bytes(), 'binary').digest('hex').slice(0, 16),
      pinpad: false,
    };
  }

  private open(password: string): forge.pkcs12.Pkcs12Pfx {
    const asn1 = forge.asn1.fromDer(this.der.copy());
    return forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  }

  list(): Promise<{ tokens: TokenInfo[]; certificates: TokenCertificate[] }> {
    const token = this.info;
    let certificates: Buffer[] = [];
    try {
      certificates = unencryptedCertificates(this.der.copy());
    } catch {
      certificates = []; // a file that is not PKCS#12 shows as a token without certificates
    }
    return Promise.resolve({
      tokens: [token],
      // A file carries its chain too: only end-entity certificates can be signing certificates.
      certificates: certificates
        .filter((der) => !isCaCertificate(der))
        .map((certificate) => ({
          token,
          certificate,
          keyId: certificateKeyId(certificate),
          hasPrivateKey: true,
        })),
    });
  }

  sign(_token: TokenInfo, keyId: string, pin: string | undefined, input: SignInput): Promise<Buffer> {
    // Every failure below becomes a rejected promise, as the provider contract says.
    return Promise.resolve().then(() => this.signNow(keyId, pin, input));
  }

  private signNow(keyId: string, pin: string | undefined, input: SignInput): Buffer {
    if (pin === undefined) throw new HostError('ERR_PIN_INCORRECT', 'a PKCS#12 file needs its password');
    let p12: forge.pkcs12.Pkcs12Pfx;
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(this.der.copy()), false, pin);
    } catch {
      // forge reports a wrong password as a MAC or decryption failure.
      throw new HostError('ERR_PIN_INCORRECT', 'wrong PKCS#12 password');
    }
    const { certificates } = readBags(p12);
    const wanted = certificates.find((c) => certificateKeyId(c) === keyId);
    if (!wanted)
      throw new HostError('ERR_CERTIFICATE_NOT_FOUND', `no certificate ${keyId} in ${this.source}`);
    const key = this.keyFor(p12, wanted);
    if (input.scheme === 'ecdsa')
      throw new HostError('ERR_UNSUPPORTED_CARD', 'ECDSA keys in PKCS#12 files are not supported');
    // forge signs the value an "md" object returns: hand it the digest computed by the host.
    const md = {
      algorithm: nodeHashName(input.hash),
      digest: () => forge.util.createBuffer(input.digest.toString('binary')),
    } as unknown as forge.md.MessageDigest;
    // forge names its digests as Node does: take the name from the one hash table.
    const newMd = (): forge.md.MessageDigest => forge.md[nodeHashName(input.hash)].create();
    // @types/node-forge types the PSS objects as `any`: keep them as `unknown` here.
    const mgf: unknown = forge.mgf.mgf1.create(newMd());
    const scheme: unknown =
      input.scheme === 'pss'
        ? forge.pss.create({ md: newMd(), mgf, saltLength: input.digest.length })
        : undefined;
    return Buffer.from(key.sign(md, scheme as forge.pss.PSS), 'binary');
  }

  /** The private key whose public half matches the certificate. */
  private keyFor(p12: forge.pkcs12.Pkcs12Pfx, certificate: Buffer): forge.pki.rsa.PrivateKey {
    const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(certificate.toString('binary')));
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    const bags = [
      ...(p12.getBags({ bagType: SHROUDED_KEY_BAG })[SHROUDED_KEY_BAG] ?? []),
      ...(p12.getBags({ bagType: KEY_BAG })[KEY_BAG] ?? []),
    ];
    for (const bag of bags) {
      const key = bag.key;
      if (key?.n && key.n.equals(publicKey.n)) return key;
    }
    throw new HostError('ERR_CERTIFICATE_NOT_FOUND', 'no private key for that certificate');
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
