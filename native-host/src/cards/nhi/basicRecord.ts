/**
 * Parses the NHI card's 57-byte basic data record:
 *   0–11 card number (ASCII digits) · 12–31 name (Big5-HKSCS, NUL-padded) · 32–41 ID number ·
 *   42–48 birth date (ROC YYYMMDD) · 49 sex (M/F) · 50–56 issue date (ROC YYYMMDD).
 * Each date is read from its own field: one public implementation derived the issue date from the
 * birth date, which this parser must never do (tests hold it to that).
 */
import { checkNationalId, isNhiCardNumber } from '../../../../shared/tw/nationalId.ts';
import { rocToIsoDate } from '../../../../shared/tw/rocDate.ts';
import { decodeBig5 } from '../../text/big5.ts';
import { NHI_BASIC_RECORD_LENGTH } from './nhiApdus.ts';

export interface NhiBasicRecord {
  cardNumber: string;
  name: string;
  idNumber: string;
  idNumberValid: boolean;
  birthDate: string;
  sex: 'M' | 'F';
  issueDate: string;
}

export class NhiRecordError extends Error {}

/** Field layout as data: [start, end) byte offsets. */
export const NHI_BASIC_LAYOUT = {
  cardNumber: [0, 12],
  name: [12, 32],
  idNumber: [32, 42],
  birthDate: [42, 49],
  sex: [49, 50],
  issueDate: [50, 57],
} as const satisfies Record<string, readonly [number, number]>;

type Field = keyof typeof NHI_BASIC_LAYOUT;

function field(record: Buffer, name: Field): Buffer {
  const [start, end] = NHI_BASIC_LAYOUT[name];
  return record.subarray(start, end);
}

/** An ASCII field with NUL and space padding removed (read in place: no sub-buffer per field). */
function ascii(record: Buffer, name: Field): string {
  const [start, end] = NHI_BASIC_LAYOUT[name];
  return record
    .toString('latin1', start, end)
    .replace(/[\0\s]+$/g, '')
    .replace(/^[\0\s]+/g, '');
}

/** Only the card number (bytes 0–11) of a basic data record; the other fields are not looked at. */
export function parseNhiCardNumber(record: Buffer): string {
  if (record.length !== NHI_BASIC_RECORD_LENGTH) {
    throw new NhiRecordError(`basic record is ${record.length} bytes, expected ${NHI_BASIC_RECORD_LENGTH}`);
  }
  const cardNumber = ascii(record, 'cardNumber');
  if (!isNhiCardNumber(cardNumber)) throw new NhiRecordError('card number is not 12 digits');
  return cardNumber;
}

export function parseNhiBasicRecord(record: Buffer): NhiBasicRecord {
  const cardNumber = parseNhiCardNumber(record);

  const nameBytes = field(record, 'name');
  const nul = nameBytes.indexOf(0);
  const name = decodeBig5(nul >= 0 ? nameBytes.subarray(0, nul) : nameBytes).replace(
    /^[\s\u3000]+|[\s\u3000]+$/g,
    '',
  );

  const idNumber = ascii(record, 'idNumber').toUpperCase();
  const sex = ascii(record, 'sex');
  if (sex !== 'M' && sex !== 'F') throw new NhiRecordError('sex is neither M nor F');

  let birthDate: string;
  let issueDate: string;
  try {
    birthDate = rocToIsoDate(ascii(record, 'birthDate'));
    issueDate = rocToIsoDate(ascii(record, 'issueDate'));
  } catch (error) {
    throw new NhiRecordError(`bad date on card: ${(error as Error).message}`);
  }

  return {
    cardNumber,
    name,
    idNumber,
    idNumberValid: checkNationalId(idNumber).valid,
    birthDate,
    sex,
    issueDate,
  };
}
