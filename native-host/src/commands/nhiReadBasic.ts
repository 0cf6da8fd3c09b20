/** `nhi.readBasic`: the basic data of an NHI card (no PIN needed). */
import { NhiReadBasicArgsSchema, type NhiBasicData } from '../../../shared/protocol/messages.ts';
import { readNhiBasic } from '../cards/nhi/nhiDriver.ts';
import { HostError } from '../hostError.ts';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';

export const nhiReadBasicCommand = (services: HostServices) =>
  defineCommand({
    name: 'nhi.readBasic',
    args: NhiReadBasicArgsSchema,
    async run(args): Promise<NhiBasicData> {
      const reader = args.reader ?? (await findNhiReader(services));
      const record = await services.access.withCard(reader, readNhiBasic);
      services.logger.info('nhi', `basic data read from ${reader}`);
      return { reader, ...record };
    },
  });

/** Without a reader named, the first reader (by name) holding an NHI card. */
async function findNhiReader(services: HostServices): Promise<string> {
  await services.monitor.ready();
  const snapshot = services.monitor.snapshot();
  if (!snapshot.available) throw new HostError('ERR_PCSC_UNAVAILABLE', snapshot.error);
  if (snapshot.readers.length === 0) throw new HostError('ERR_NO_READER');
  const withCards = snapshot.readers.filter((r) => r.present);
  if (withCards.length === 0) throw new HostError('ERR_NO_CARD');
  for (const reader of withCards) {
    const card = await services.identifier.identify(reader);
    if (card?.type === 'nhi') return reader.name;
  }
  throw new HostError('ERR_UNSUPPORTED_CARD', 'no NHI card in any reader');
}
