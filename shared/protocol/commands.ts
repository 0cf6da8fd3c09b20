/**
 * The host protocol's one command table: every command's argument and result schema, and every
 * event's data schema. The host registers its commands from these keys and checks arguments with
 * them; the extension derives `port.request`'s types from them and checks every reply and event.
 * Browser-safe: no Node imports.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { AuthTokenSchema } from '../authtoken/token.ts';
import {
  AuthenticateArgsSchema,
  ListedCertificateSchema,
  NhiAuthenticateArgsSchema,
  NhiAuthenticateResultSchema,
  NhiBasicDataSchema,
  NhiReadBasicArgsSchema,
  NoArgumentsSchema,
  ReadersChangedDataSchema,
  SignArgsSchema,
  StatusResultSchema,
  VersionResultSchema,
} from './messages.ts';

/** The events the host pushes after `events.subscribe`, each with the schema of its `data`. */
export const HOST_EVENTS = {
  'readers-changed': ReadersChangedDataSchema,
} as const;
export type HostEventName = keyof typeof HOST_EVENTS;
export type HostEventData<E extends HostEventName> = Static<(typeof HOST_EVENTS)[E]>;
/** An event frame as the host writes it. */
export type HostEvent = { [E in HostEventName]: { event: E; data: HostEventData<E> } }[HostEventName];

const HOST_EVENT_NAMES = Object.keys(HOST_EVENTS) as HostEventName[];

export const CertificatesListResultSchema = Type.Object({
  certificates: Type.Array(ListedCertificateSchema),
});

export const SignResultSchema = Type.Union([
  Type.Object({ signature: Type.String(), algorithm: Type.String() }),
  Type.Object({ cms: Type.String(), algorithm: Type.String() }),
]);

export const EventsSubscribeResultSchema = Type.Object({
  subscribed: Type.Literal(true),
  events: Type.Array(Type.Union(HOST_EVENT_NAMES.map((name) => Type.Literal(name)))),
});

interface CommandSchemas {
  args: TSchema;
  result: TSchema;
}

export const HOST_COMMANDS = {
  version: { args: NoArgumentsSchema, result: VersionResultSchema },
  status: { args: NoArgumentsSchema, result: StatusResultSchema },
  'nhi.readBasic': { args: NhiReadBasicArgsSchema, result: NhiBasicDataSchema },
  'nhi.authenticate': { args: NhiAuthenticateArgsSchema, result: NhiAuthenticateResultSchema },
  'certificates.list': { args: NoArgumentsSchema, result: CertificatesListResultSchema },
  authenticate: { args: AuthenticateArgsSchema, result: AuthTokenSchema },
  sign: { args: SignArgsSchema, result: SignResultSchema },
  'events.subscribe': { args: NoArgumentsSchema, result: EventsSubscribeResultSchema },
} as const satisfies Record<string, CommandSchemas>;

export type HostCommandName = keyof typeof HOST_COMMANDS;
export type CommandArgs<N extends HostCommandName> = Static<(typeof HOST_COMMANDS)[N]['args']>;
export type CommandResult<N extends HostCommandName> = Static<(typeof HOST_COMMANDS)[N]['result']>;

export function isHostCommandName(name: string): name is HostCommandName {
  return Object.hasOwn(HOST_COMMANDS, name);
}

export function isHostEventName(name: string): name is HostEventName {
  return Object.hasOwn(HOST_EVENTS, name);
}
