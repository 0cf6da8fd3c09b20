/** `nhi.readBasic`: the basic data of an NHI card (no PIN needed). */
import { BasicRecordMemo } from '../cards/nhi/basicRecordMemo.ts';
import { loadedNhiDriver, loadNhiDriver } from '../cards/nhi/loadNhiDriver.ts';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';
import { findNhiReader } from './nhiReader.ts';

export const nhiReadBasicCommand = (services: HostServices) => {
  const memo = new BasicRecordMemo(services.monitor);
  return defineCommand('nhi.readBasic', async (args) => {
    const reader = args.reader ?? (await findNhiReader(services));
    const { readNhiBasic } = loadedNhiDriver() ?? (await loadNhiDriver());
    const record = await services.access.withCard(reader, (session) => readNhiBasic(session, memo));
    services.logger.info('nhi', `basic data read from ${reader}`);
    return memo.reply(reader, record);
  });
};
