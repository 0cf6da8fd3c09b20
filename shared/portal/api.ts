/**
 * The reference portal's HTTP API (portal/API.md), defined once for both ends: every route is one
 * entry of PORTAL_ROUTES with its method, path, request schemas and reply schema. The portal registers
 * its fastify routes from these entries (which validate requests, serialise replies and make
 * /openapi.json); the bundled pages (extension/pages/portal) take their types from them and check
 * every reply with Value.Check. Browser-safe: TypeBox only.
 */
import { Type, type Static, type TSchema, type TUnion } from '@sinclair/typebox';
import { AuthTokenSchema, BASE64_PATTERN } from '../authtoken/token.ts';
import { TEXT_LIMITS } from '../fields/rules.ts';
import { NHI_CARD_NUMBER_PATTERN } from '../tw/nationalId.ts';
import { QUERIES_ROUTES } from './queriesApi.ts';
import { Email } from './email.ts';
import { SLIP_ROUTES } from './slipsApi.ts';
import { BATCHES_ROUTES } from './batchesApi.ts';
import { FILINGS_ROUTES } from './filingsApi.ts';

export const CARD_NUMBER_PATTERN = NHI_CARD_NUMBER_PATTERN;
export const ID_NUMBER_PATTERN = '^[A-Z][0-9A-D]\\d{8}$';
// The e-mail field lives on its own so that the area tables spread below can import it too.
export { Email };
/** The portal's row ids (clerks, registrations): 31 characters of [0-9a-z]. */
export const ID_PATTERN = '^[0-9a-z]{31}$';

// ---- Request parts ----

const Nonce = Type.String({ minLength: 44, maxLength: 44, pattern: BASE64_PATTERN });

/** The NHI card's web password (網路服務密碼), 6 to 12 characters. */
export const NhiPassword = Type.String({ minLength: 6, maxLength: 12 });

export const CertificateProof = Type.Object(
  { kind: Type.Literal('certificate'), nonce: Nonce, token: AuthTokenSchema },
  { additionalProperties: false },
);
export type CertificateProof = Static<typeof CertificateProof>;

export const NhiCardProof = Type.Object(
  {
    kind: Type.Literal('nhi-card'),
    nonce: Nonce,
    cardNumber: Type.String({ pattern: CARD_NUMBER_PATTERN }),
    response: Type.String({ minLength: 24, maxLength: 24, pattern: BASE64_PATTERN }),
    password: NhiPassword,
  },
  { additionalProperties: false },
);
export type NhiCardProof = Static<typeof NhiCardProof>;

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
export type Proof = CertificateProof | NhiCardProof;
/** How a unit or clerk proves who they are. */
export type ProofMethod = Proof['kind'];

export const Role = Type.Union([Type.Literal('unit'), Type.Literal('clerk')]);
export type Role = Static<typeof Role>;

export const UnitCode = Type.String({ minLength: 1, maxLength: TEXT_LIMITS.unitCode });
/** A clerk's name as the unit types it. */
/** A clerk's name as the unit types it; the portal applies personName() of shared/fields/rules.ts. */
export const ClerkName = Type.String({ minLength: 1, maxLength: TEXT_LIMITS.personName });

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
      name: ClerkName,
      email: Type.Optional(Email),
    },
    { additionalProperties: false },
  ),
]);
export type AddClerkBody = Static<typeof AddClerkBody>;

export const RegisterBody = Type.Object(
  { proof: Proof, unitCode: Type.Optional(UnitCode), email: Type.Optional(Email) },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  { role: Role, proof: Proof, unitCode: Type.Optional(UnitCode) },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

const ProofBody = Type.Object({ proof: Proof }, { additionalProperties: false });
const NhiCardProofBody = Type.Object({ proof: NhiCardProof }, { additionalProperties: false });
const ClerkParams = Type.Object({ clerkId: Type.String({ pattern: ID_PATTERN }) });

// ---- Views in replies ----

const Method = Type.Union([Type.Literal('certificate'), Type.Literal('nhi-card')]);

export const UnitView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  ubn: Type.Optional(Type.String()),
  organizationId: Type.Optional(Type.String()),
});
export type UnitView = Static<typeof UnitView>;

export const SubjectView = Type.Object({
  kind: Method,
  name: Type.String(),
  /** Masked: certificate serial or card number. */
  credential: Type.String(),
});
export type SubjectView = Static<typeof SubjectView>;

export const RegistrationView = Type.Object({
  id: Type.String(),
  method: Method,
  credential: Type.String(),
  contactEmail: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('cancelled')]),
  createdAt: Type.String(),
});
export type RegistrationView = Static<typeof RegistrationView>;

export const ClerkView = Type.Object({
  id: Type.String(),
  kind: Method,
  displayName: Type.String(),
  /** Masked card number or certificate serial. */
  credential: Type.String(),
  idLast4: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
  createdAt: Type.String(),
  revokedAt: Type.Optional(Type.String()),
});
export type ClerkView = Static<typeof ClerkView>;

const SessionView = Type.Object({
  role: Role,
  unit: UnitView,
  subject: SubjectView,
  expiresAt: Type.String(),
});
const ClerkReply = Type.Object({ clerk: ClerkView });

// ---- The routes ----

export interface PortalRoute {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** fastify's form: `:name` for a path parameter. */
  readonly path: string;
  readonly summary: string;
  readonly tags: readonly string[];
  /** Needs `Authorization: Bearer <session token>`. */
  readonly session: boolean;
  readonly body?: TSchema;
  readonly params?: TSchema;
  /** The query string (filters, pages), each value a string as URLs carry them. */
  readonly query?: TSchema;
  /**
   * A file instead of JSON (PDF, CSV, a .p7s): its media type. `reply` then describes nothing sent;
   * the pages fetch it with `download()` and refusals are still the JSON error reply.
   */
  readonly download?: {
    readonly contentType: string;
    /** Other media types the same route may send (e.g. a JSON evidence file instead of a .p7s). */
    readonly alternatives?: readonly string[];
  };
  /** A larger request body limit than the server's default (bytes), for routes that carry batches. */
  readonly bodyLimit?: number;
  /** The 200 reply; every refusal is the error reply of ./errors.ts. */
  readonly reply: TSchema;
}

export const PORTAL_ROUTES = {
  health: {
    method: 'GET',
    path: '/api/health',
    summary: 'Liveness, version and the server clock',
    tags: ['meta'],
    session: false,
    reply: Type.Object({ ok: Type.Literal(true), version: Type.String(), time: Type.String() }),
  },
  nonce: {
    method: 'POST',
    path: '/api/nonces',
    summary: 'Issue a nonce (32 random bytes, base64; single use, 5 minutes)',
    tags: ['proofs'],
    session: false,
    reply: Type.Object({ nonce: Type.String(), expiresAt: Type.String() }),
  },
  setNhiCardPassword: {
    method: 'POST',
    path: '/api/nhi-cards/password',
    summary: "Set the NHI card's web password (first time only)",
    tags: ['proofs'],
    session: false,
    body: NhiCardProofBody,
    reply: Type.Object({ registered: Type.Literal(true) }),
  },
  register: {
    method: 'POST',
    path: '/api/registrations',
    summary: "Register a unit with its unit certificate or its responsible person's NHI card",
    tags: ['units'],
    session: false,
    body: RegisterBody,
    reply: Type.Object({ unit: UnitView, registration: RegistrationView }),
  },
  cancelRegistration: {
    method: 'DELETE',
    path: '/api/registrations/current',
    summary: "Cancel the logged-in unit's registration (the unit's credential again)",
    tags: ['units'],
    session: true,
    body: ProofBody,
    reply: Type.Object({ cancelled: Type.Literal(true) }),
  },
  login: {
    method: 'POST',
    path: '/api/sessions',
    summary: 'Log in as the unit (unit certificate or responsible NHI card) or as a clerk',
    tags: ['sessions'],
    session: false,
    body: LoginBody,
    reply: Type.Object({
      sessionToken: Type.String(),
      expiresAt: Type.String(),
      role: Role,
      unit: UnitView,
      subject: SubjectView,
    }),
  },
  currentSession: {
    method: 'GET',
    path: '/api/sessions/current',
    summary: 'The current session',
    tags: ['sessions'],
    session: true,
    reply: SessionView,
  },
  logout: {
    method: 'DELETE',
    path: '/api/sessions/current',
    summary: 'Log out',
    tags: ['sessions'],
    session: true,
    reply: Type.Object({ loggedOut: Type.Literal(true) }),
  },
  clerks: {
    method: 'GET',
    path: '/api/units/current/clerks',
    summary: "The unit's clerks (active and revoked) and the limit",
    tags: ['clerks'],
    session: true,
    reply: Type.Object({ clerks: Type.Array(ClerkView), limit: Type.Integer() }),
  },
  addClerk: {
    method: 'POST',
    path: '/api/units/current/clerks',
    summary: 'Assign a clerk by citizen certificate or NHI card',
    tags: ['clerks'],
    session: true,
    body: AddClerkBody,
    reply: ClerkReply,
  },
  revokeClerk: {
    method: 'DELETE',
    path: '/api/units/current/clerks/:clerkId',
    summary: 'Withdraw a clerk (their sessions end at once)',
    tags: ['clerks'],
    session: true,
    params: ClerkParams,
    reply: ClerkReply,
  },
  home: {
    method: 'GET',
    path: '/api/home',
    summary: 'Home page data for a unit or clerk session',
    tags: ['sessions'],
    session: true,
    reply: Type.Object({ unit: UnitView, role: Role, subject: SubjectView, clerkCount: Type.Integer() }),
  },
  ...QUERIES_ROUTES,
  ...SLIP_ROUTES,
  ...FILINGS_ROUTES,
  ...BATCHES_ROUTES,
} as const satisfies Record<string, PortalRoute>;

export type PortalRoutes = typeof PORTAL_ROUTES;
export type PortalRouteName = keyof PortalRoutes;

/** What a route takes and gives, as TypeScript types (undefined where it takes nothing). */
export type RouteBody<R extends PortalRoute> = R extends { body: infer S extends TSchema }
  ? Static<S>
  : undefined;
export type RouteParams<R extends PortalRoute> = R extends { params: infer S extends TSchema }
  ? Static<S>
  : undefined;
export type RouteQuery<R extends PortalRoute> = R extends { query: infer S extends TSchema }
  ? Static<S>
  : undefined;
export type RouteReply<R extends PortalRoute> = Static<R['reply']>;
/** By route name: `PortalReply<'login'>` is what POST /api/sessions answers. */
export type PortalBody<N extends PortalRouteName> = RouteBody<PortalRoutes[N]>;
export type PortalReply<N extends PortalRouteName> = RouteReply<PortalRoutes[N]>;
