/**
 * The page API's one definition: for each action a page may ask for, the schema of its payload
 * (checked by the background, Value.Check, before anything else happens) and of its reply (the
 * page library's result types). Built from the host protocol's schemas where the data is the same.
 */
import { Type, type Static } from '@sinclair/typebox';
import { AuthTokenSchema } from '../authtoken/token.ts';
import { SignResultSchema } from '../protocol/commands.ts';
import {
  AuthenticateArgsSchema,
  ListedCertificateSchema,
  NhiBasicDataSchema,
  SignArgsSchema,
  StatusResultSchema,
} from '../protocol/messages.ts';
import type { PageActionName } from './wire.ts';

/** Properties a page adds beyond these are ignored: the background passes on only what it names. */
const NoPayloadSchema = Type.Object({});

export const StatusPageResultSchema = Type.Composite([
  StatusResultSchema,
  Type.Object({ extensionVersion: Type.String() }),
]);

/** What a page learns of a certificate: public data only (no token ids, no PIN-pad details). */
export const PublicCertificateSchema = Type.Pick(ListedCertificateSchema, [
  'certificate',
  'family',
  'subject',
  'issuer',
  'notBefore',
  'notAfter',
  'keyUsage',
]);
export type PublicCertificate = Static<typeof PublicCertificateSchema>;

export const SignPayloadSchema = Type.Object({
  /** base64 digest of the document, computed by the page. */
  hash: SignArgsSchema.properties.hash,
  hashFunction: SignArgsSchema.properties.hashFunction,
  /** Raw signature (the default) or a detached CMS SignedData. */
  format: Type.Optional(SignArgsSchema.properties.format),
  /** Shown to the clerk in the prompt (the first 200 characters). */
  documentName: Type.Optional(Type.String({ maxLength: 1024 })),
});

export const PAGE_ACTIONS = {
  status: { payload: NoPayloadSchema, reply: StatusPageResultSchema },
  'read-nhi-card': { payload: NoPayloadSchema, reply: NhiBasicDataSchema },
  'get-certificates': {
    payload: NoPayloadSchema,
    reply: Type.Object({ certificates: Type.Array(PublicCertificateSchema) }),
  },
  authenticate: {
    payload: Type.Object({ challengeNonce: AuthenticateArgsSchema.properties.challengeNonce }),
    reply: AuthTokenSchema,
  },
  sign: { payload: SignPayloadSchema, reply: SignResultSchema },
} as const satisfies Record<PageActionName, { payload: unknown; reply: unknown }>;

export type PagePayload<A extends PageActionName> = Static<(typeof PAGE_ACTIONS)[A]['payload']>;
export type PageReply<A extends PageActionName> = Static<(typeof PAGE_ACTIONS)[A]['reply']>;
