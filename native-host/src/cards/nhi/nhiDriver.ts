/**
 * The NHI card driver: short, fixed APDU sequences over a CardSession. Each sequence is data: a list
 * of steps, each naming the command it sends and how its answer is checked and kept.
 */
import { HostError } from '../../hostError.ts';
import type { CardSession } from '../../pcsc/cardAccess.ts';
import { splitResponse, SW_OK, swHex, type ResponseApdu } from '../apdu.ts';
import {
  NhiRecordError,
  parseNhiBasicRecord,
  parseNhiCardNumber,
  type NhiBasicRecord,
} from './basicRecord.ts';
import type { BasicRecordMemo } from './basicRecordMemo.ts';
import { mutualAuthenticateApdu, NHI_APDUS, NHI_AUTH_RESPONSE_LENGTH } from './nhiApdus.ts';

/** One command of a sequence. Errors name the step and the status word, never card data. */
export interface NhiStep<S> {
  name: string;
  apdu(state: S): Buffer;
  /** Checks the answer and keeps what it carries in `state`; throws a HostError when it is wrong. */
  accept(answer: ResponseApdu, state: S, session: CardSession): void;
}

/** Sends the steps in order, stopping at the first that throws. */
export async function runNhiSequence<S>(
  session: CardSession,
  steps: readonly NhiStep<S>[],
  state: S,
): Promise<S> {
  for (const step of steps) {
    step.accept(splitResponse(await session.transmit(step.apdu(state))), state, session);
  }
  return state;
}

const READ_BASIC = 'READ basic data';
const MUTUAL_AUTHENTICATE = 'MUTUAL AUTHENTICATE';

function requireOk(step: string, { sw }: ResponseApdu): void {
  if (sw !== SW_OK) throw new HostError('ERR_CARD_IO', `${step} answered ${swHex(sw)}`, { sw: swHex(sw) });
}

/** A malformed record is a card I/O problem, as for nhi.readBasic. */
function fromRecord<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof NhiRecordError) throw new HostError('ERR_CARD_IO', error.message);
    throw error;
  }
}

const selectStep: NhiStep<unknown> = {
  name: 'SELECT NHI applet',
  apdu: () => NHI_APDUS.selectApplet,
  accept({ sw }, _state, session) {
    if (sw !== SW_OK) throw new HostError('ERR_UNSUPPORTED_CARD', `no NHI applet in ${session.reader}`);
  },
};

// ---- nhi.readBasic ----

interface ReadBasicState {
  /** Turns the READ answer into the record (parseNhiBasicRecord, or a memo in front of it). */
  parse(answer: Buffer): NhiBasicRecord;
  record?: NhiBasicRecord;
}

const READ_BASIC_SEQUENCE: readonly NhiStep<ReadBasicState>[] = [
  selectStep,
  {
    name: READ_BASIC,
    apdu: () => NHI_APDUS.readBasic,
    accept(answer, state) {
      requireOk(READ_BASIC, answer);
      state.record = fromRecord(() => state.parse(answer.data));
    },
  },
];

// ---- nhi.authenticate ----

interface AuthenticateState {
  challenge: Buffer;
  cardNumber?: string;
  response?: Buffer;
}

export const NHI_AUTHENTICATE_SEQUENCE: readonly NhiStep<AuthenticateState>[] = [
  selectStep,
  {
    name: READ_BASIC,
    apdu: () => NHI_APDUS.readBasic,
    accept(answer, state) {
      requireOk(READ_BASIC, answer);
      state.cardNumber = fromRecord(() => parseNhiCardNumber(answer.data));
    },
  },
  {
    name: MUTUAL_AUTHENTICATE,
    apdu: (state) => mutualAuthenticateApdu(state.challenge),
    accept(answer, state) {
      requireOk(MUTUAL_AUTHENTICATE, answer);
      if (answer.data.length !== NHI_AUTH_RESPONSE_LENGTH) {
        throw new HostError(
          'ERR_CARD_IO',
          `${MUTUAL_AUTHENTICATE} answered ${answer.data.length} bytes, expected ${NHI_AUTH_RESPONSE_LENGTH}`,
          { sw: swHex(answer.sw), length: answer.data.length },
        );
      }
      state.response = Buffer.from(answer.data);
    },
  },
];

/** Selects the NHI applet; false when the card has none (not an NHI card). */
export async function selectNhiApplet(session: CardSession): Promise<boolean> {
  const { sw } = splitResponse(await session.transmit(NHI_APDUS.selectApplet));
  return sw === SW_OK;
}

/** The card's basic data; `memo` may give the record of an answer it has seen (see BasicRecordMemo). */
export async function readNhiBasic(session: CardSession, memo?: BasicRecordMemo): Promise<NhiBasicRecord> {
  const parse = memo
    ? (answer: Buffer) => memo.record(session.reader, answer, parseNhiBasicRecord)
    : parseNhiBasicRecord;
  const { record } = await runNhiSequence(session, READ_BASIC_SEQUENCE, { parse });
  return kept(record);
}

export interface NhiAuthentication {
  cardNumber: string;
  /** The card's 16-byte answer to the challenge. */
  response: Buffer;
}

/** The card's answer to a 32-byte challenge, with the card number it belongs to. */
export async function authenticateNhi(session: CardSession, challenge: Buffer): Promise<NhiAuthentication> {
  const { cardNumber, response } = await runNhiSequence(session, NHI_AUTHENTICATE_SEQUENCE, {
    challenge,
  });
  return { cardNumber: kept(cardNumber), response: kept(response) };
}

/** What a completed sequence must have kept (a missing value is a bug in the sequence, not the card). */
function kept<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('NHI sequence ended without its result');
  return value;
}
