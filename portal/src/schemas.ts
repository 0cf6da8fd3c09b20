/**
 * TypeBox schemas of every request and response body (portal/API.md). Fastify validates requests
 * with them and serialises responses through them; @fastify/swagger turns them into /openapi.json.
 */
import { Type, type Static, type TSchema, type TUnion } from '@sinclair/typebox';
import { AuthTokenSchema, BASE64_PATTERN } from '../../shared/authtoken/token.ts';
import { PORTAL_ERROR_CODES } from '../../shared/portal/errors.ts';

export const CARD_NUMBER_PATTERN = '^\\d{12}$';
export const ID_NUMBER_PATTERN = '^[A-Z][0-9A-D]\\d{8}$';
/** An address with one @, no spaces; the exact rules are the mail server's. */
export const EMAIL_PATTERN = '^[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@]+$';

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.Union(PORTAL_ERROR_CODES.map((c) => Type.Literal(c))),
      message: Type.String(),
      field: Type.Optional(Type.String()),
    }),
  },
  { description: 'Every refusal: a code of shared/portal/errors.ts' },
);

const Nonce = Type.String({ minLength: 44, maxLength: 44, pattern: BASE64_PATTERN });

export const CertificateProof = Type.Object(
  { kind: Type.Literal('certificate'), nonce: Nonce, token: AuthTokenSchema },
  { additionalProperties: false },
);

export const NhiCardProof = Type.Object(
  {
    kind: Type.Literal('nhi-card'),
    nonce: Nonce,
    cardNumber: Type.String({ pattern: CARD_NUMBER_PATTERN }),
    response: Type.String({ minLength: 24, maxLength: 24, pattern: BASE64_PATTERN }),
    password: Type.String({ minLength: 6, maxLength: 12 }),
  },
  { additionalProperties: false },
);

/**
 * A union told apart by `kind` (ajv's discriminator): only the branch named by `kind` is validated,
 * so a refusal names the field that is wrong in that branch.
 */
function discriminated<T extends TSchema[]>(branches: [...T]) {
  return Type.Unsafe<Static<TUnion<T>>>({
    type: 'object',
    required: ['kind'],
    discriminator: { propertyName: 'kind' },
    oneOf: branches,
  });
}

export const Proof = discriminated([CertificateProof, NhiCardProof]);
export type CertificateProof = Static<typeof CertificateProof>;
export type NhiCardProof = Static<typeof NhiCardProof>;
export type Proof = CertificateProof | NhiCardProof;

export const UnitView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  ubn: Type.Optional(Type.String()),
  organizationId: Type.Optional(Type.String()),
});
export type UnitView = Static<typeof UnitView>;

export const SubjectView = Type.Object({
  kind: Type.Union([Type.Literal('certificate'), Type.Literal('nhi-card')]),
  name: Type.String(),
  /** Masked: certificate serial or card number. */
  credential: Type.String(),
});
export type SubjectView = Static<typeof SubjectView>;

export const RegistrationView = Type.Object({
  id: Type.String(),
  method: Type.Union([Type.Literal('certificate'), Type.Literal('nhi-card')]),
  credential: Type.String(),
  contactEmail: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('cancelled')]),
  createdAt: Type.String(),
});
export type RegistrationView = Static<typeof RegistrationView>;

export const ClerkView = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('certificate'), Type.Literal('nhi-card')]),
  displayName: Type.String(),
  credential: Type.String(),
  idLast4: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
  createdAt: Type.String(),
  revokedAt: Type.Optional(Type.String()),
});
export type ClerkView = Static<typeof ClerkView>;

export const Role = Type.Union([Type.Literal('unit'), Type.Literal('clerk')]);
export type Role = Static<typeof Role>;

export const UnitCode = Type.String({ minLength: 1, maxLength: 32 });
export const Email = Type.String({ maxLength: 254, pattern: EMAIL_PATTERN });

export const AddClerkBody = discriminated([
  Type.Object(
    {
      kind: Type.Literal('certificate'),
      certificate: Type.String({ minLength: 4, maxLength: 21_848, pattern: BASE64_PATTERN }),
      email: Type.Optional(Email),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('nhi-card'),
      cardNumber: Type.String({ pattern: CARD_NUMBER_PATTERN }),
      idNumber: Type.String({ pattern: ID_NUMBER_PATTERN }),
      name: Type.String({ minLength: 1, maxLength: 60 }),
      email: Type.Optional(Email),
    },
    { additionalProperties: false },
  ),
]);
export type AddClerkBody = Static<typeof AddClerkBody>;

/** The error responses every route may give, for OpenAPI. */
export function withErrors<T extends Record<number, TSchema>>(ok: T) {
  return { ...ok, '4xx': ErrorBody, '5xx': ErrorBody };
}
