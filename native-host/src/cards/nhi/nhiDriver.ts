/** The NHI card driver: a short, fixed APDU sequence over a CardSession. */
import { HostError } from '../../hostError.ts';
import type { CardSession } from '../../pcsc/cardAccess.ts';
import { splitResponse, SW_OK, swHex } from '../apdu.ts';
import { NhiRecordError, parseNhiBasicRecord, type NhiBasicRecord } from './basicRecord.ts';
import { NHI_APDUS } from './nhiApdus.ts';

/** Selects the NHI applet; false when the card has none (not an NHI card). */
export async function selectNhiApplet(session: CardSession): Promise<boolean> {
  const { sw } = splitResponse(await session.transmit(NHI_APDUS.selectApplet));
  return sw === SW_OK;
}

export async function readNhiBasic(session: CardSession): Promise<NhiBasicRecord> {
  if (!(await selectNhiApplet(session))) {
    throw new HostError('ERR_UNSUPPORTED_CARD', `no NHI applet in ${session.reader}`);
  }
  const { data, sw } = splitResponse(await session.transmit(NHI_APDUS.readBasic));
  if (sw !== SW_OK) throw new HostError('ERR_CARD_IO', `READ basic data answered ${swHex(sw)}`);
  try {
    return parseNhiBasicRecord(data);
  } catch (error) {
    if (error instanceof NhiRecordError) throw new HostError('ERR_CARD_IO', error.message);
    throw error;
  }
}
