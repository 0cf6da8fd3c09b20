/**
 * Card operations for the bundled portal pages (extension pages, trusted by sender check). Every one
 * goes through the prompt like a web page's would; the origin the token or NHI challenge is bound to
 * is the configured portal address, never something the page sends.
 */
import { nhiChallenge, toBase64 } from '../lib/nhiChallenge.ts';
import { PORTAL_PURPOSES, type PortalPurpose } from '../lib/promptProtocol.ts';
import type { PortalRequest } from '../lib/uiProtocol.ts';
import { authenticatePrompt, listCertificates } from './cardOperations.ts';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import type { NativePort } from './nativePort.ts';
import type { PromptRequest } from './prompts.ts';

export interface PortalRequestContext {
  port: NativePort;
  askClerk: (request: PromptRequest) => Promise<unknown>;
  portalAddress: () => Promise<string>;
}

/** Standard base64, padded, 44 to 256 characters (the portal issues 32 random bytes: 44). */
const NONCE = /^(?=.{44,256}$)(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

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
      const purpose = checkPurpose(request.purpose);
      return context.askClerk({
        ...(await authenticatePrompt(context.port, origin, challengeNonce)),
        ...purpose,
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
      const list = await listCertificates(context.port);
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
