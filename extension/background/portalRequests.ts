/**
 * Card operations for the bundled portal pages (extension pages, trusted by sender check). Every one
 * goes through the prompt like a web page's would; the origin the token or NHI challenge is bound to
 * is the configured portal address, never something the page sends.
 */
import type { ListedCertificateResult } from '../../shared/protocol/messages.ts';
import { nhiChallenge, toBase64 } from '../lib/nhiChallenge.ts';
import { PORTAL_PURPOSES, type PortalPurpose, type PortalRequest } from '../lib/uiProtocol.ts';
import { CardBridgeError, type NativePort } from './nativePort.ts';
import type { PromptRequest } from './prompts.ts';

export interface PortalRequestContext {
  port: NativePort;
  askClerk: (request: PromptRequest) => Promise<unknown>;
  portalAddress: () => Promise<string>;
}

/** Long enough for a PIN typed on a PIN-pad reader. */
const CARD_OPERATION_TIMEOUT_MS = 130_000;
/** Standard base64, padded, 44 to 256 characters (the portal issues 32 random bytes: 44). */
const NONCE = /^(?=.{44,256}$)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

async function certificates(port: NativePort): Promise<ListedCertificateResult[]> {
  const { certificates: list } = await port.request<{ certificates: ListedCertificateResult[] }>(
    'certificates.list',
  );
  if (list.length === 0)
    throw new CardBridgeError('ERR_CERTIFICATE_NOT_FOUND', 'no certificate in any token');
  return list;
}

function checkPurpose(purpose: unknown): { purpose?: PortalPurpose } {
  if (purpose === undefined) return {};
  if (typeof purpose === 'string' && (PORTAL_PURPOSES as readonly string[]).includes(purpose))
    return { purpose: purpose as PortalPurpose };
  throw new CardBridgeError('ERR_BAD_REQUEST', 'unknown purpose');
}

function checkNonce(nonce: unknown): string {
  if (typeof nonce !== 'string' || !NONCE.test(nonce))
    throw new CardBridgeError('ERR_BAD_REQUEST', 'nonce must be the base64 nonce the portal issued');
  return nonce;
}

export async function handlePortalRequest(request: PortalRequest, context: PortalRequestContext) {
  const origin = await context.portalAddress();
  switch (request.command) {
    case 'portal-authenticate': {
      const challengeNonce = checkNonce(request.nonce);
      return context.askClerk({
        kind: 'authenticate',
        origin,
        ...checkPurpose(request.purpose),
        certificates: await certificates(context.port),
        execute: (answer) =>
          context.port.request(
            'authenticate',
            {
              origin,
              challengeNonce,
              certificateId: answer.certificateId ?? '',
              ...(answer.pin ? { pin: answer.pin } : {}),
            },
            CARD_OPERATION_TIMEOUT_MS,
          ),
      });
    }
    case 'portal-nhi-authenticate': {
      const nonce = checkNonce(request.nonce);
      return context.askClerk({
        kind: 'nhi-authenticate',
        origin,
        ...checkPurpose(request.purpose),
        execute: async () =>
          context.port.request('nhi.authenticate', {
            challenge: toBase64(await nhiChallenge(origin, nonce)),
          }),
      });
    }
    case 'portal-choose-certificate': {
      const list = await certificates(context.port);
      return context.askClerk({
        kind: 'choose-certificate',
        origin,
        certificates: list,
        execute: (answer) => {
          const chosen = list.find((c) => c.id === answer.certificateId);
          if (!chosen) throw new CardBridgeError('ERR_CERTIFICATE_NOT_FOUND', 'no certificate chosen');
          return Promise.resolve({
            certificate: chosen.certificate,
            family: chosen.family,
            subject: chosen.subject,
            notAfter: chosen.notAfter,
          });
        },
      });
    }
  }
}
