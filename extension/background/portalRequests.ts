/**
 * Card operations for the bundled portal pages (extension pages, trusted by sender check). Every one
 * goes through the prompt like a web page's would; the origin the token or NHI challenge is bound to
 * is the configured portal address, never something the page sends.
 */
import { nhiChallenge, toBase64 } from '../lib/nhiChallenge.ts';
import { PORTAL_PURPOSES, type PortalPurpose } from '../lib/promptProtocol.ts';
import type { PortalRequest } from '../lib/uiProtocol.ts';
import { authenticatePrompt, listCertificatesFor } from './cardOperations.ts';
import type { CertificateTask } from '../../shared/pki/taskCertificates.ts';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import type { NativePort } from './nativePort.ts';
import type { PromptRequest } from './prompts.ts';
import { signSubmissionInPrompt } from './submissionSigning.ts';

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

/** The certificate task of a purpose; setting the password takes the NHI card, no certificate. */
const PURPOSE_TASK: Readonly<Record<PortalPurpose, CertificateTask | undefined>> = {
  'unit-login': 'unit-login',
  'clerk-login': 'clerk-login',
  register: 'unit-register',
  cancel: 'unit-cancel',
  'set-password': undefined,
  'sign-submission': 'sign-filing',
};

function certificateTask(purpose: PortalPurpose | undefined): CertificateTask {
  if (!purpose) return 'site-login';
  const task = PURPOSE_TASK[purpose];
  if (!task) throw new CardBridgeError('ERR_BAD_REQUEST', `${purpose} takes the NHI card, not a certificate`);
  return task;
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
      const task = certificateTask(purpose.purpose);
      return context.askClerk({
        ...(await authenticatePrompt(context.port, origin, challengeNonce, task)),
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
    case 'portal-sign-submission':
      return signSubmissionInPrompt(request.submission, request.method, {
        port: context.port,
        askClerk: context.askClerk,
        origin,
      });
    case 'portal-choose-certificate': {
      // The unit gives a clerk's own citizen certificate, never a unit certificate.
      const list = await listCertificatesFor(context.port, 'clerk-assign');
      return context.askClerk({
        kind: 'choose-certificate',
        origin,
        task: 'clerk-assign',
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
