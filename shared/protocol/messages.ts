/**
 * Typed protocol messages with runtime schemas (TypeBox): the extension ↔ host trust boundary. The
 * envelopes are here; which command takes which arguments and answers what is in commands.ts.
 * Value.Check is used (not the JIT compiler) so the same schemas run under an MV3 CSP.
 */
import { Type, type Static } from '@sinclair/typebox';
import { HASH_NAMES } from '../crypto/hashes.ts';
import { ERROR_CODES } from './errors.ts';

export const RequestSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 128 }),
  command: Type.String({ minLength: 1, maxLength: 64 }),
  arguments: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type Request = Static<typeof RequestSchema>;

export const ErrorBodySchema = Type.Object({
  code: Type.Union(ERROR_CODES.map((c) => Type.Literal(c))),
  message: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type ErrorBody = Static<typeof ErrorBodySchema>;

export const ResponseSchema = Type.Union([
  Type.Object({ id: Type.String(), result: Type.Unknown() }),
  Type.Object({ id: Type.Union([Type.String(), Type.Null()]), error: ErrorBodySchema }),
]);
export type Response = Static<typeof ResponseSchema>;

export const EventSchema = Type.Object({ event: Type.String(), data: Type.Unknown() });

// ---- command arguments and results ----

export const NoArgumentsSchema = Type.Object({}, { additionalProperties: false });

export const NhiReadBasicArgsSchema = Type.Object(
  { reader: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) },
  { additionalProperties: false },
);
export type NhiReadBasicArgs = Static<typeof NhiReadBasicArgsSchema>;

/** The handshake's answer keeps this shape in every protocol version, so any host can be told apart. */
export const VersionResultSchema = Type.Object({
  version: Type.String(),
  protocol: Type.Integer({ minimum: 0 }),
});
export type VersionResult = Static<typeof VersionResultSchema>;

export const CardTypeSchema = Type.Union([Type.Literal('nhi'), Type.Literal('pki'), Type.Literal('unknown')]);
export type CardType = Static<typeof CardTypeSchema>;

export const CardInfoSchema = Type.Object({
  type: CardTypeSchema,
  /** Human name of the card family when the ATR table knows it. */
  name: Type.Optional(Type.String()),
  /** How the type was decided: a table entry or probing the NHI applet. */
  identifiedBy: Type.Union([
    Type.Literal('atr'),
    Type.Literal('probe'),
    Type.Literal('token'),
    Type.Literal('none'),
  ]),
});
export type CardInfo = Static<typeof CardInfoSchema>;

export const ReaderStatusSchema = Type.Object({
  name: Type.String(),
  cardPresent: Type.Boolean(),
  atr: Type.Optional(Type.String({ pattern: '^[0-9a-f]*$' })),
  card: Type.Optional(CardInfoSchema),
});
export type ReaderStatus = Static<typeof ReaderStatusSchema>;

export const PcscStatusSchema = Type.Object({
  available: Type.Boolean(),
  error: Type.Optional(Type.String()),
});
export type PcscStatus = Static<typeof PcscStatusSchema>;

export const CertificateFamilySchema = Type.Union([
  Type.Literal('MOICA'),
  Type.Literal('MOEACA'),
  Type.Literal('GCA'),
  Type.Literal('XCA'),
  Type.Literal('OTHER'),
]);

export const TokenRefSchema = Type.Object({
  kind: Type.Union([Type.Literal('pkcs11'), Type.Literal('pkcs12')]),
  /** Module path or PKCS#12 file path. */
  source: Type.String(),
  label: Type.String(),
  serial: Type.String(),
  /** The PC/SC reader the token sits in, when known. */
  reader: Type.Optional(Type.String()),
});
export type TokenRef = Static<typeof TokenRefSchema>;

export const TokenStatusSchema = Type.Object({
  kind: Type.Union([Type.Literal('pkcs11'), Type.Literal('pkcs12')]),
  source: Type.String(),
  /** Why this module or file cannot be used (the others still are). */
  error: Type.Optional(Type.String()),
  tokens: Type.Array(
    Type.Object({
      label: Type.String(),
      serial: Type.String(),
      manufacturer: Type.Optional(Type.String()),
      model: Type.Optional(Type.String()),
      reader: Type.Optional(Type.String()),
      pinpad: Type.Boolean(),
    }),
  ),
});
export type TokenStatus = Static<typeof TokenStatusSchema>;

export const StatusResultSchema = Type.Object({
  version: Type.String(),
  protocol: Type.Literal(1),
  pcsc: PcscStatusSchema,
  readers: Type.Array(ReaderStatusSchema),
  tokens: Type.Array(TokenStatusSchema),
});
export type StatusResult = Static<typeof StatusResultSchema>;

export const NhiBasicDataSchema = Type.Object({
  reader: Type.String(),
  cardNumber: Type.String({ pattern: '^[0-9]{12}$' }),
  name: Type.String(),
  idNumber: Type.String(),
  /** Whether idNumber passes the national ID / resident number checksum. */
  idNumberValid: Type.Boolean(),
  birthDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
  issueDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
});
export type NhiBasicData = Static<typeof NhiBasicDataSchema>;

export const ReadersChangedDataSchema = Type.Object({
  pcsc: PcscStatusSchema,
  readers: Type.Array(ReaderStatusSchema),
});

// ---- certificates and signatures (PKCS#11 tokens and PKCS#12 files) ----

export const ListedCertificateSchema = Type.Object({
  id: Type.String(),
  token: TokenRefSchema,
  certificate: Type.String({ description: 'base64 DER' }),
  family: CertificateFamilySchema,
  subject: Type.Object({
    commonName: Type.String(),
    ubn: Type.Optional(Type.String()),
    organizationId: Type.Optional(Type.String()),
    idLast4: Type.Optional(Type.String()),
  }),
  issuer: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
  keyUsage: Type.Array(Type.String()),
  /** Whether the token holds the certificate's private key (a certificate alone cannot sign). */
  hasPrivateKey: Type.Boolean(),
  pinpad: Type.Boolean(),
});
export type ListedCertificateResult = Static<typeof ListedCertificateSchema>;

const Base64 = (maxLength: number) => Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength });
const Pin = Type.String({ minLength: 1, maxLength: 64 });

export const AuthenticateArgsSchema = Type.Object(
  {
    origin: Type.String({ minLength: 1, maxLength: 256 }),
    challengeNonce: Type.String({ minLength: 44, maxLength: 256 }),
    certificateId: Type.String({ minLength: 1, maxLength: 128 }),
    pin: Type.Optional(Pin),
  },
  { additionalProperties: false },
);
export type AuthenticateArgs = Static<typeof AuthenticateArgsSchema>;

export const HashFunctionSchema = Type.Union(HASH_NAMES.map((hash) => Type.Literal(hash)));

export const SignArgsSchema = Type.Object(
  {
    origin: Type.String({ minLength: 1, maxLength: 256 }),
    certificateId: Type.String({ minLength: 1, maxLength: 128 }),
    pin: Type.Optional(Pin),
    hash: Base64(128),
    hashFunction: HashFunctionSchema,
    format: Type.Union([Type.Literal('raw'), Type.Literal('cms')]),
    /** RSA padding: PKCS#1 v1.5 (default) or PSS. Ignored for EC keys. */
    padding: Type.Optional(Type.Union([Type.Literal('pkcs1'), Type.Literal('pss')])),
  },
  { additionalProperties: false },
);
export type SignArgs = Static<typeof SignArgsSchema>;

// ---- NHI card mutual authentication ----

/** Canonical base64 of exactly 32 bytes (44 characters, one `=`). */
export const NHI_CHALLENGE_BASE64_PATTERN = '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$';
/** Canonical base64 of exactly 16 bytes (24 characters, two `=`). */
export const NHI_RESPONSE_BASE64_PATTERN = '^[A-Za-z0-9+/]{21}[AQgw]==$';

export const NhiAuthenticateArgsSchema = Type.Object(
  {
    /** The 32-byte challenge the card answers, base64. */
    challenge: Type.String({ pattern: NHI_CHALLENGE_BASE64_PATTERN, minLength: 44, maxLength: 44 }),
    reader: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type NhiAuthenticateArgs = Static<typeof NhiAuthenticateArgsSchema>;

export const NhiAuthenticateResultSchema = Type.Object({
  reader: Type.String(),
  cardNumber: Type.String({ pattern: '^[0-9]{12}$' }),
  /** The card's 16-byte answer, base64. */
  response: Type.String({ pattern: NHI_RESPONSE_BASE64_PATTERN }),
});
export type NhiAuthenticateResult = Static<typeof NhiAuthenticateResultSchema>;
