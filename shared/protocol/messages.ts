/**
 * Typed protocol messages with runtime schemas (TypeBox): the extension ↔ host trust boundary.
 * Value.Check is used (not the JIT compiler) so the same schemas run under an MV3 CSP.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
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
export type HostEvent = Static<typeof EventSchema>;

// ---- command arguments and results ----

export const NoArgumentsSchema = Type.Object({}, { additionalProperties: false });

export const NhiReadBasicArgsSchema = Type.Object(
  { reader: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) },
  { additionalProperties: false },
);
export type NhiReadBasicArgs = Static<typeof NhiReadBasicArgsSchema>;

export const VersionResultSchema = Type.Object({
  version: Type.String(),
  protocol: Type.Literal(1),
});
export type VersionResult = Static<typeof VersionResultSchema>;

export const CardTypeSchema = Type.Union([Type.Literal('nhi'), Type.Literal('pki'), Type.Literal('unknown')]);
export type CardType = Static<typeof CardTypeSchema>;

export const CardInfoSchema = Type.Object({
  type: CardTypeSchema,
  /** Human name of the card family when the ATR table knows it. */
  name: Type.Optional(Type.String()),
  /** How the type was decided: a table entry or probing the NHI applet. */
  identifiedBy: Type.Union([Type.Literal('atr'), Type.Literal('probe'), Type.Literal('none')]),
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

export const StatusResultSchema = Type.Object({
  version: Type.String(),
  protocol: Type.Literal(1),
  pcsc: PcscStatusSchema,
  readers: Type.Array(ReaderStatusSchema),
  tokens: Type.Array(Type.Unknown()),
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

export const ReadersChangedEventSchema = Type.Object({
  event: Type.Literal('readers-changed'),
  data: Type.Object({ pcsc: PcscStatusSchema, readers: Type.Array(ReaderStatusSchema) }),
});
export type ReadersChangedEvent = Static<typeof ReadersChangedEventSchema>;

export function isRequest(value: unknown): value is Request {
  return Value.Check(RequestSchema, value);
}
