/** `nhi.readBasic`: the basic data of an NHI card (no PIN needed). */
import { BasicRecordMemo } from '../cards/nhi/basicRecordMemo.ts';
import { loadedNhiDriver, loadNhiDriver } from '../cards/nhi/loadNhiDriver.ts';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';
import { findNhiReader } from './nhiReader.ts';

export const nhiReadBasicCommand = (services: HostServices) => {
  // Made at the first read: a command factory only keeps the services (hostCommandTable.test.ts).
  let memo: BasicRecordMemo | undefined;
  return defineCommand('nhi.readBasic', async (args) => {
    const records = (memo ??= new BasicRecordMemo(services.monitor));
    const reader = args.reader ?? (await findNhiReader(services));
    const { readNhiBasic } = loadedNhiDriver() ?? (await loadNhiDriver());
    const record = await services.access.withCard(reader, (session) => readNhiBasic(session, records));
    services.logger.info('nhi', `basic data read from ${reader}`);
    return records.reply(reader, record);
  });
};
