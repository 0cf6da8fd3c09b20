/**
 * The trust store: anchors (roots), intermediates (sub-CAs) and CRLs, parsed and checked once, then used
 * to validate end-entity certificates (leaf → intermediates → anchor) at a given time: chain building
 * is this file's job; certificates (./certificate.ts), CRLs (./crl.ts), the DER reader (./derReader.ts)
 * and signature algorithms (./signatureVerify.ts) have their own. All signature maths is Node's crypto
 * (OpenSSL); @peculiar/asn1-x509 only reads structures.
 *
 * Performance: issuers are indexed by subject name (DER) and key id, CRL signatures are verified and the
 * revoked serials put in sets at construction, and a leaf's structural result (chain built, signatures
 * and CA constraints checked, revocation status — all of which depend only on the immutable store) is
 * cached by the SHA-256 of its DER. Validity periods and CRL currency depend on `now` and are re-checked
 * on every call.
 *
 * Policy choices (documented for reviewers):
 * - Issuers must be CAs (basicConstraints cA) whose keyUsage includes keyCertSign; pathLenConstraint is
 *   enforced; a leaf that is itself a CA certificate is refused (ERR_CERT_KEY_USAGE).
 * - Certificate signatures must be SHA-2 RSA (PKCS#1 v1.5 or PSS) or ECDSA; SHA-1 / MD5 are refused.
 * - Unknown critical extensions (and nameConstraints, which is not processed) make a certificate
 *   unusable. Certificate policies are not processed (policy constraints / mappings are ignored).
 * - Revocation: the leaf is checked against its issuing CA's CRL; when `requireRevocationInfo` (default)
 *   a current CRL (thisUpdate ≤ now ≤ nextUpdate) must be loaded for that CA, else ERR_CRL_UNAVAILABLE.
 *   CA certificates are checked against their issuer's CRL (an ARL) when one is loaded, but an ARL is
 *   not required (the root's ARL is seldom distributed). A certificate listed in any loaded CRL of its
 *   issuer is revoked, even if that CRL is stale. CRLs without nextUpdate are never "current".
 * - A CRL that does not verify against a CA of this store, or that carries an unknown critical
 *   extension (delta CRLs, partitioned CRLs with issuingDistributionPoint), is a configuration error:
 *   the constructor throws.
 * - Only the store's intermediates are used to build chains (never certificates sent by the client).
 * - Anchors are trusted as configured (their own signature is not checked) but must be CA certificates
 *   and valid at `now`, like every certificate of the chain.
 */
import type { KeyObject } from 'node:crypto';
import { VerificationError } from '../../authtoken/errors.ts';
import type { CertificateInfo } from '../../pki/certificateInfo.ts';
import { certificateHash, parseCertificateDer, type ParsedCertificate } from './certificate.ts';
import { isCurrent, readCrl, type IssuerCrls } from './crl.ts';

const MAX_CHAIN_LENGTH = 8;

export interface TrustMaterial {
  /** Trust anchors (roots), DER. */
  anchors: Uint8Array[];
  /** CA certificates usable to build chains, DER. */
  intermediates?: Uint8Array[];
  /** CRLs issued by the anchors or intermediates, DER. */
  crls?: Uint8Array[];
}

export interface TrustStoreOptions {
  /** How many leaves' structural results to keep (default 10,000; 0 disables the cache). */
  cacheSize?: number;
}

export interface ValidateOptions {
  now: Date;
  /** Require a current CRL from the leaf's issuing CA (default true). */
  requireRevocationInfo?: boolean;
}

export interface TrustResult {
  /** Leaf first, anchor last (DER copies). */
  chain: Buffer[];
  info: CertificateInfo;
  /** The leaf's public key (immutable, shared). */
  publicKey: KeyObject;
}

interface CachedChain {
  certificates: ParsedCertificate[];
  leafCrls: IssuerCrls | undefined;
  /** Index of a revoked certificate in the chain, or -1. */
  revokedAt: number;
}

function cloneInfo(info: CertificateInfo): CertificateInfo {
  return {
    ...info,
    subject: { ...info.subject },
    notBefore: new Date(info.notBefore.getTime()),
    notAfter: new Date(info.notAfter.getTime()),
    keyUsage: [...info.keyUsage],
  };
}

function untrusted(reason: string, extra: Record<string, unknown> = {}): VerificationError {
  return new VerificationError('ERR_CERT_UNTRUSTED', { reason, ...extra });
}

export class TrustStore {
  private readonly anchors = new Set<ParsedCertificate>();
  /** CA certificates (anchors and intermediates) by subject name. */
  private readonly bySubject = new Map<string, ParsedCertificate[]>();
  private readonly crlsByIssuer = new Map<string, IssuerCrls>();
  private readonly cache = new Map<string, CachedChain>();
  private readonly cacheSize: number;

  constructor(material: TrustMaterial, options: TrustStoreOptions = {}) {
    this.cacheSize = options.cacheSize ?? 10_000;
    if (material.anchors.length === 0) throw new Error('TrustStore: at least one anchor is required');
    const seen = new Set<string>();
    const add = (der: Uint8Array, anchor: boolean) => {
      let cert: ParsedCertificate;
      try {
        cert = parseCertificateDer(der);
      } catch (error) {
        throw new Error(`TrustStore: cannot parse a CA certificate: ${(error as Error).message}`);
      }
      if (!cert.ca) throw new Error(`TrustStore: ${cert.subject()} is not a CA certificate`);
      if (seen.has(cert.hash)) return;
      seen.add(cert.hash);
      if (anchor) this.anchors.add(cert);
      const list = this.bySubject.get(cert.subjectKey) ?? [];
      list.push(cert);
      this.bySubject.set(cert.subjectKey, list);
    };
    for (const der of material.anchors) add(der, true);
    for (const der of material.intermediates ?? []) add(der, false);
    for (const der of material.crls ?? []) this.addCrl(der);
  }

  private addCrl(der: Uint8Array): void {
    const crl = readCrl(der, (issuerKey) => this.bySubject.get(issuerKey) ?? []);
    const entry = this.crlsByIssuer.get(crl.issuerKey) ?? { windows: [], revoked: new Set<string>() };
    entry.windows.push(crl.window);
    for (const serial of crl.revokedSerials) entry.revoked.add(serial);
    this.crlsByIssuer.set(crl.issuerKey, entry);
  }

  /**
   * Validates an end-entity certificate at `now`. Throws VerificationError: ERR_CERT_MALFORMED,
   * ERR_CERT_UNTRUSTED, ERR_CERT_KEY_USAGE (a CA certificate as leaf), ERR_CERT_EXPIRED,
   * ERR_CERT_NOT_YET_VALID, ERR_CERT_REVOKED, ERR_CRL_UNAVAILABLE.
   */
  validate(leafDer: Uint8Array, options: ValidateOptions): TrustResult {
    const now = options.now.getTime();
    if (!Number.isFinite(now)) throw new TypeError('TrustStore.validate: `now` is not a valid date');
    const hash = certificateHash(leafDer);
    let entry = this.cache.get(hash);
    if (!entry) {
      entry = this.build(leafDer);
      while (this.cache.size > 0 && this.cache.size >= this.cacheSize) {
        const oldest = this.cache.keys().next();
        if (oldest.done) break;
        this.cache.delete(oldest.value);
      }
      if (this.cacheSize > 0) this.cache.set(hash, entry);
    }
    const { certificates } = entry;
    for (let i = 0; i < certificates.length; i++) {
      const cert = certificates[i]!;
      const which = i === 0 ? 'leaf' : 'issuer';
      if (now < cert.notBefore) {
        throw new VerificationError('ERR_CERT_NOT_YET_VALID', {
          certificate: which,
          subject: cert.subject(),
        });
      }
      if (now > cert.notAfter) {
        throw new VerificationError('ERR_CERT_EXPIRED', { certificate: which, subject: cert.subject() });
      }
    }
    if (entry.revokedAt >= 0) {
      const cert = certificates[entry.revokedAt]!;
      throw new VerificationError('ERR_CERT_REVOKED', {
        certificate: entry.revokedAt === 0 ? 'leaf' : 'issuer',
        subject: cert.subject(),
        serialNumber: cert.serial,
      });
    }
    if ((options.requireRevocationInfo ?? true) && !isCurrent(entry.leafCrls, now)) {
      throw new VerificationError('ERR_CRL_UNAVAILABLE', {
        reason: entry.leafCrls ? 'CRL not current' : 'no CRL loaded',
        issuer: certificates[1]?.subject(),
      });
    }
    const leaf = certificates[0]!;
    return {
      chain: certificates.map((c) => Buffer.from(c.der)),
      info: cloneInfo(leaf.info),
      publicKey: leaf.publicKey,
    };
  }

  /** The time-independent part of validation; the result is cached. */
  private build(leafDer: Uint8Array): CachedChain {
    let leaf: ParsedCertificate;
    try {
      leaf = parseCertificateDer(leafDer);
    } catch (error) {
      throw new VerificationError('ERR_CERT_MALFORMED', { reason: (error as Error).message });
    }
    if (leaf.ca)
      throw new VerificationError('ERR_CERT_KEY_USAGE', { reason: 'a CA certificate cannot be a leaf' });
    if (leaf.problem) throw untrusted(leaf.problem, { subject: leaf.subject() });
    const rejections: string[] = [];
    const path = this.findPath([leaf], rejections);
    if (!path) {
      throw untrusted(rejections[0] ?? 'no issuer in the trust store', {
        subject: leaf.subject(),
        issuer: leaf.info.issuer,
      });
    }
    let revokedAt = -1;
    for (let i = 0; i < path.length - 1 && revokedAt < 0; i++) {
      const cert = path[i]!;
      if (this.crlsByIssuer.get(cert.issuerKey)?.revoked.has(cert.serial)) revokedAt = i;
    }
    return { certificates: path, leafCrls: this.crlsByIssuer.get(leaf.issuerKey), revokedAt };
  }

  /** Depth-first search from path's last certificate to an anchor; candidates by name, then key id. */
  private findPath(path: ParsedCertificate[], rejections: string[]): ParsedCertificate[] | undefined {
    const child = path[path.length - 1]!;
    const candidates = [...(this.bySubject.get(child.issuerKey) ?? [])].sort(
      (a, b) =>
        Number(child.aki !== undefined && b.ski === child.aki) -
        Number(child.aki !== undefined && a.ski === child.aki),
    );
    for (const issuer of candidates) {
      if (path.includes(issuer)) continue;
      const problem = this.issuerProblem(issuer, child, path);
      if (problem) {
        rejections.push(problem);
        continue;
      }
      const next = [...path, issuer];
      if (this.anchors.has(issuer)) return next;
      if (next.length >= MAX_CHAIN_LENGTH) {
        rejections.push('chain too long');
        continue;
      }
      const found = this.findPath(next, rejections);
      if (found) return found;
    }
    return undefined;
  }

  private issuerProblem(issuer: ParsedCertificate, child: ParsedCertificate, path: ParsedCertificate[]) {
    if (child.aki !== undefined && issuer.ski !== undefined && child.aki !== issuer.ski) {
      return `key identifier of ${issuer.subject()} does not match`;
    }
    if (issuer.problem && !this.anchors.has(issuer)) return `${issuer.subject()}: ${issuer.problem}`;
    if (!issuer.ca) return `${issuer.subject()} is not a CA`;
    if (!issuer.info.keyUsage.includes('keyCertSign')) return `${issuer.subject()} lacks keyCertSign`;
    if (issuer.pathLen !== undefined) {
      // Intermediates below this issuer that are not self-issued (the leaf does not count).
      const below = path.slice(1).filter((c) => !c.selfIssued).length;
      if (below > issuer.pathLen) return `path length constraint of ${issuer.subject()} exceeded`;
    }
    if (!child.x509.checkIssued(issuer.x509) || !child.x509.verify(issuer.publicKey)) {
      return `signature of ${child.subject()} does not verify with ${issuer.subject()}`;
    }
    return undefined;
  }

  /** Number of cached leaf results (for tests and monitoring). */
  get cachedLeaves(): number {
    return this.cache.size;
  }
}
