/** Which reader an NHI command uses when the request names none. */
import { HostError } from '../hostError.ts';
import type { HostServices } from '../hostServices.ts';

/** Without a reader named, the first reader (by name) holding an NHI card. */
export async function findNhiReader(services: HostServices): Promise<string> {
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
