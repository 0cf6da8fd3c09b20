/**
 * The `web-eid:1.0` authentication token, as the extension hands it to a website after a login:
 *
 *   { "format": "web-eid:1.0", "unverifiedCertificate": base64 DER, "algorithm": "RS256" | … | "ES512",
 *     "signature": base64, "appVersion": string }
 *
 * The signature is a normal hash-then-sign, with the algorithm's hash H, of
 * `authSigningInput(origin, nonce, H)` = H(origin) ‖ H(nonce) (UTF-8). ECDSA signatures are raw r‖s
 * (IEEE P1363); PSS uses MGF1 with H and a salt as long as H's output.
 *
 * The schema bounds every string, and no other property is allowed, so a token that passes is bounded
 * (about 24 KB).
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { HashName, SignatureSchemeName } from '../pki/trustStore.ts';

export const AUTH_TOKEN_FORMAT = 'web-eid:1.0';

export interface TokenAlgorithmSpec {
  hash: HashName;
  scheme: SignatureSchemeName;
  /** ECDSA: the curve the certificate's key must be on (Node's name). */
  curve?: 'prime256v1' | 'secp384r1' | 'secp521r1';
}

export const TOKEN_ALGORITHMS = {
  RS256: { hash: 'sha256', scheme: 'pkcs1' },
  RS384: { hash: 'sha384', scheme: 'pkcs1' },
  RS512: { hash: 'sha512', scheme: 'pkcs1' },
  PS256: { hash: 'sha256', scheme: 'pss' },
  PS384: { hash: 'sha384', scheme: 'pss' },
  PS512: { hash: 'sha512', scheme: 'pss' },
  ES256: { hash: 'sha256', scheme: 'ecdsa', curve: 'prime256v1' },
  ES384: { hash: 'sha384', scheme: 'ecdsa', curve: 'secp384r1' },
  ES512: { hash: 'sha512', scheme: 'ecdsa', curve: 'secp521r1' },
} as const satisfies Record<string, TokenAlgorithmSpec>;

export type TokenAlgorithm = keyof typeof TOKEN_ALGORITHMS;
export const TOKEN_ALGORITHM_NAMES = Object.keys(TOKEN_ALGORITHMS) as TokenAlgorithm[];

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

export function isAuthToken(value: unknown): value is AuthToken {
  return Value.Check(AuthTokenSchema, value);
}

/** H(origin) ‖ H(nonce), origin and nonce as UTF-8: the data the token's signature is made over. */
export function authSigningInput(origin: string, nonce: string, hash: HashName): Buffer {
  return Buffer.concat([
    createHash(hash).update(origin, 'utf8').digest(),
    createHash(hash).update(nonce, 'utf8').digest(),
  ]);
}
