/**
 * What requests from web pages (pageRequests.ts) and from the bundled portal pages
 * (portalRequests.ts) both ask of the host: the certificates to choose from, and a web-eid login
 * bound to an origin the caller took from the browser or the settings, never from the request.
 */
import type { ListedCertificateResult } from '../../shared/protocol/messages.ts';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import { certificatesFor, type CertificateTask } from '../../shared/pki/taskCertificates.ts';
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

/**
 * The certificates fit for a task (the unit's for a unit task, the clerk's own for a clerk's) with a
 * private key that can sign; none is ERR_CERTIFICATE_NOT_FOUND, so no PIN goes to a wrong card.
 */
export async function listCertificatesFor(
  port: NativePort,
  task: CertificateTask,
): Promise<ListedCertificateResult[]> {
  const fit = certificatesFor(task, await listCertificates(port));
  if (fit.length === 0)
    throw new CardBridgeError('ERR_CERTIFICATE_NOT_FOUND', `no certificate fit for ${task}`, { task });
  return fit;
}

/** The prompt for a login: the clerk picks the certificate and types the PIN, the host signs. */
export async function authenticatePrompt(
  port: NativePort,
  origin: string,
  challengeNonce: string,
  task: CertificateTask,
): Promise<PromptRequest> {
  return {
    kind: 'authenticate',
    origin,
    task,
    certificates: await listCertificatesFor(port, task),
    execute: (answer) =>
      port.request(
        'authenticate',
        { origin, challengeNonce, certificateId: answer.certificateId ?? '', ...pinArgs(answer.pin) },
        CARD_OPERATION_TIMEOUT_MS,
      ),
  };
}
