/**
 * Server-side verification of a `web-eid:1.0` login token (../../authtoken/token.ts).
 *
 * Order of checks: token shape → expected origin and nonce → certificate trust (chain, validity,
 * revocation) → key usage (digitalSignature) → family policy → algorithm fits the key → signature over
 * H(origin) ‖ H(nonce). The token does not carry the origin or the nonce: the signature binds them, so a
 * token made for another site or another login fails as ERR_TOKEN_SIGNATURE.
 *
 * Not checked here: that the nonce was issued by this server, is fresh and is used once. The caller
 * consumes it from its NonceStore (./nonceStore.ts) before calling this function.
 */
import type { KeyObject } from 'node:crypto';
import { Check } from '@sinclair/typebox/value';
import { VerificationError } from '../../authtoken/errors.ts';
import { loginSigningInput } from '../../authtoken/loginBinding.ts';
import { AuthTokenSchema, TOKEN_ALGORITHMS, type AuthToken } from '../../authtoken/token.ts';
import type { TokenAlgorithmSpec } from '../../authtoken/token.ts';
import { CURVES } from '../../crypto/signatureAlgorithms.ts';
import { FAMILIES } from '../../pki/families.ts';
import type { CertificateFamily } from '../../pki/families.ts';
import type { CertificateInfo } from '../../pki/certificateInfo.ts';
import { isValidPortalOrigin } from '../../protocol/origin.ts';
import { nodeDigest } from '../crypto/nodeDigest.ts';
import { verifySignature } from '../pki/signatureVerify.ts';
import type { TrustResult, TrustStore } from '../pki/trustStore.ts';

/** Here, the only place that checks a token's shape, so the token's contract (browser-safe, loaded by
 * the host at every start) does not load TypeBox's whole Value module for it. */
function isAuthToken(value: unknown): value is AuthToken {
  return Check(AuthTokenSchema, value);
}

export interface VerifyAuthTokenOptions {
  /** The origin the server expects, e.g. `https://eservice.example.tw` (no path, no trailing slash). */
  origin: string;
  /** The nonce the server issued for this login (already consumed from its NonceStore). */
  nonce: string;
  trust: TrustStore;
  /** Default: now. */
  now?: Date;
  /** Families allowed to log in. Default: every family but OTHER. */
  families?: readonly CertificateFamily[];
  /** Require a current CRL for the leaf's CA (default true). */
  requireRevocationInfo?: boolean;
}

export interface VerifiedAuthToken {
  certificate: Buffer;
  info: CertificateInfo;
  chain: Buffer[];
}

export const DEFAULT_LOGIN_FAMILIES: readonly CertificateFamily[] = FAMILIES.filter((f) => f !== 'OTHER');

export const NONCE_MIN_LENGTH = 44;
export const NONCE_MAX_LENGTH = 1024;

function keyFitsAlgorithm(publicKey: KeyObject, spec: TokenAlgorithmSpec): boolean {
  if (spec.scheme === 'ecdsa') {
    const curve = spec.curve ? CURVES[spec.curve].node : undefined;
    return publicKey.asymmetricKeyType === 'ec' && publicKey.asymmetricKeyDetails?.namedCurve === curve;
  }
  // PKCS#1 v1.5 and PSS both need an RSA key (an id-RSASSA-PSS key only for PSS).
  const type = publicKey.asymmetricKeyType;
  return type === 'rsa' || (spec.scheme === 'pss' && type === 'rsa-pss');
}

export async function verifyAuthToken(
  token: unknown,
  options: VerifyAuthTokenOptions,
): Promise<VerifiedAuthToken> {
  if (!isAuthToken(token)) throw new VerificationError('ERR_TOKEN_MALFORMED', { reason: 'token shape' });
  const { origin, nonce } = options;
  if (!isValidPortalOrigin(origin)) throw new VerificationError('ERR_ORIGIN_INVALID', { origin });
  if (typeof nonce !== 'string' || nonce.length < NONCE_MIN_LENGTH || nonce.length > NONCE_MAX_LENGTH) {
    throw new VerificationError('ERR_NONCE_INVALID', { reason: 'nonce length' });
  }

  const certificate = Buffer.from(token.unverifiedCertificate, 'base64');
  const signature = Buffer.from(token.signature, 'base64');
  let trusted: TrustResult;
  try {
    trusted = options.trust.validate(certificate, {
      now: options.now ?? new Date(),
      requireRevocationInfo: options.requireRevocationInfo ?? true,
    });
  } catch (error) {
    if (error instanceof VerificationError && error.code === 'ERR_CERT_MALFORMED') {
      throw new VerificationError('ERR_TOKEN_MALFORMED', {
        reason: 'unverifiedCertificate is not a certificate',
      });
    }
    throw error;
  }
  const { info, publicKey } = trusted;
  if (!info.keyUsage.includes('digitalSignature')) {
    throw new VerificationError('ERR_CERT_KEY_USAGE', { keyUsage: info.keyUsage });
  }
  const families = options.families ?? DEFAULT_LOGIN_FAMILIES;
  if (!families.includes(info.family)) {
    throw new VerificationError('ERR_CERT_FAMILY', { family: info.family, allowed: [...families] });
  }

  const spec: TokenAlgorithmSpec = TOKEN_ALGORITHMS[token.algorithm];
  if (!keyFitsAlgorithm(publicKey, spec)) {
    throw new VerificationError('ERR_TOKEN_ALGORITHM', {
      algorithm: token.algorithm,
      keyType: publicKey.asymmetricKeyType,
      curve: publicKey.asymmetricKeyDetails?.namedCurve,
    });
  }
  const data = await loginSigningInput(origin, nonce, spec.hash, nodeDigest);
  if (!verifySignature(spec, data, publicKey, signature, 'ieee-p1363')) {
    throw new VerificationError('ERR_TOKEN_SIGNATURE');
  }
  return { certificate, info, chain: trusted.chain };
}
