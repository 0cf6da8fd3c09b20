/**
 * The `web-eid:1.0` authentication token, as the extension hands it to a website after a login:
 *
 *   { "format": "web-eid:1.0", "unverifiedCertificate": base64 DER, "algorithm": "RS256" | … | "ES512",
 *     "signature": base64, "appVersion": string }
 *
 * The signature is a normal hash-then-sign, with the algorithm's hash H, of
 * `loginSigningInput(origin, nonce, H)` = H(origin) ‖ H(nonce) (./loginBinding.ts). ECDSA signatures
 * are raw r‖s (IEEE P1363); PSS uses MGF1 with H and a salt as long as H's output.
 *
 * The schema bounds every string, and no other property is allowed, so a token that passes is bounded
 * (about 24 KB).
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { JWA_ALGORITHM_NAMES, JWA_ALGORITHMS } from '../crypto/signatureAlgorithms.ts';
import type { JwaAlgorithm, JwaAlgorithmSpec } from '../crypto/signatureAlgorithms.ts';

export const AUTH_TOKEN_FORMAT = 'web-eid:1.0';

/** A token's algorithm is a JWA name (../crypto/signatureAlgorithms.ts). */
export type TokenAlgorithmSpec = JwaAlgorithmSpec;
export const TOKEN_ALGORITHMS = JWA_ALGORITHMS;
export type TokenAlgorithm = JwaAlgorithm;
export const TOKEN_ALGORITHM_NAMES = JWA_ALGORITHM_NAMES;

export const AUTH_TOKEN_LIMITS = {
  /** base64 of a certificate of at most 16 KiB. */
  certificateChars: 21_848,
  /** base64 of an RSA-8192 signature (1,024 bytes). */
  signatureChars: 1_368,
  appVersionChars: 256,
} as const;

/** Canonical padded base64 (RFC 4648 §4), no whitespace. */
export const BASE64_PATTERN = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

export const AuthTokenSchema = Type.Object(
  {
    format: Type.Literal(AUTH_TOKEN_FORMAT),
    unverifiedCertificate: Type.String({
      minLength: 4,
      maxLength: AUTH_TOKEN_LIMITS.certificateChars,
      pattern: BASE64_PATTERN,
    }),
    algorithm: Type.Union(TOKEN_ALGORITHM_NAMES.map((name) => Type.Literal(name))),
    signature: Type.String({
      minLength: 4,
      maxLength: AUTH_TOKEN_LIMITS.signatureChars,
      pattern: BASE64_PATTERN,
    }),
    appVersion: Type.String({ minLength: 1, maxLength: AUTH_TOKEN_LIMITS.appVersionChars }),
  },
  { additionalProperties: false },
);

export interface AuthToken extends Static<typeof AuthTokenSchema> {
  algorithm: TokenAlgorithm;
}
