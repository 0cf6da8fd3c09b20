/**
 * What requests from web pages (pageRequests.ts) and from the bundled portal pages
 * (portalRequests.ts) both ask of the host: the certificates to choose from, and a web-eid login
 * bound to an origin the caller took from the browser or the settings, never from the request.
 */
import type { ListedCertificateResult } from '../../shared/protocol/messages.ts';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import type { NativePort } from './nativePort.ts';
import type { PromptRequest } from './prompts.ts';

/** Long enough for a PIN typed on a PIN-pad reader. */
export const CARD_OPERATION_TIMEOUT_MS = 130_000;

export const pinArgs = (pin: string | undefined) => (pin ? { pin } : {});

/** The certificates of every token; none at all is ERR_CERTIFICATE_NOT_FOUND. */
export async function listCertificates(port: NativePort): Promise<ListedCertificateResult[]> {
  const { certificates } = await port.request('certificates.list');
  if (certificates.length === 0)
    throw new CardBridgeError('ERR_CERTIFICATE_NOT_FOUND', 'no certificate in any token');
  return certificates;
}

/** The prompt for a login: the clerk picks the certificate and types the PIN, the host signs. */
export async function authenticatePrompt(
  port: NativePort,
  origin: string,
  challengeNonce: string,
): Promise<PromptRequest> {
  return {
    kind: 'authenticate',
    origin,
    certificates: await listCertificates(port),
    execute: (answer) =>
      port.request(
        'authenticate',
        { origin, challengeNonce, certificateId: answer.certificateId ?? '', ...pinArgs(answer.pin) },
        CARD_OPERATION_TIMEOUT_MS,
      ),
  };
}
