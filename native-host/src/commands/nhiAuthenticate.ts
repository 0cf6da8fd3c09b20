/**
 * `nhi.authenticate`: the NHI card's answer to a 32-byte challenge (mutual authenticate), with the
 * card number it belongs to. Only the card issuer's security module can check the answer. Neither
 * the challenge nor the answer is ever logged.
 */
import { NHI_CHALLENGE_LENGTH } from '../cards/nhi/nhiApdus.ts';
import { loadNhiDriver } from '../cards/nhi/loadNhiDriver.ts';
import { HostError } from '../hostError.ts';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';
import { findNhiReader } from './nhiReader.ts';

export const nhiAuthenticateCommand = (services: HostServices) =>
  defineCommand('nhi.authenticate', async (args) => {
    const challenge = decodeChallenge(args.challenge);
    const reader = args.reader ?? (await findNhiReader(services));
    const { authenticateNhi } = await loadNhiDriver();
    const { cardNumber, response } = await services.access.withCard(reader, (session) =>
      authenticateNhi(session, challenge),
    );
    services.logger.info('nhi', `challenge answered by the card in ${reader}`);
    return { reader, cardNumber, response: response.toString('base64') };
  });

/** The schema already holds the challenge to canonical base64 of 32 bytes; this re-checks the bytes. */
function decodeChallenge(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== NHI_CHALLENGE_LENGTH || bytes.toString('base64') !== text) {
    throw new HostError('ERR_BAD_REQUEST', 'challenge must be base64 of exactly 32 bytes', {
      reason: 'arguments/challenge: must be base64 of exactly 32 bytes',
    });
  }
  return bytes;
}
