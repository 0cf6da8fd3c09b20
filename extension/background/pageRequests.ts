/**
 * Requests from web pages (through the content script). The origin is the sender's, as the browser
 * reports it; pages on origins outside the allow-list get ERR_ORIGIN_NOT_ALLOWED and nothing else.
 */
import { ERROR_MESSAGES, isErrorCode } from '../../shared/protocol/errors.ts';
import type { ListedCertificateResult, StatusResult } from '../../shared/protocol/messages.ts';
import type { PageRequestMessage, PageResponseMessage } from '../lib/pageProtocol.ts';
import {
  authenticatePrompt,
  CARD_OPERATION_TIMEOUT_MS,
  listCertificates,
  pinArgs,
} from './cardOperations.ts';
import type { ConsentStore } from './consent.ts';
import { CardBridgeError, type NativePort } from './nativePort.ts';
import { isHashName } from '../../shared/crypto/hashes.ts';
import { isPageOriginAllowed, type OriginSettings } from '../../shared/protocol/origin.ts';
import type { PromptRequest } from './prompts.ts';

export interface PageRequestContext {
  port: NativePort;
  settings: () => Promise<OriginSettings>;
  extensionVersion: string;
  /** Shows the prompt window; resolves with the operation's result once the clerk approved. */
  askClerk: (request: PromptRequest) => Promise<unknown>;
  /** Origins the clerk allowed to read the NHI card without asking again. */
  nhiConsent: ConsentStore;
  /** Origins the clerk allowed to see the certificates on the cards without asking again. */
  certificateConsent: ConsentStore;
}

export function failure(error: unknown): PageResponseMessage {
  if (error instanceof CardBridgeError) {
    return {
      ok: false,
      error: {
        code: error.code,
        message: ERROR_MESSAGES[error.code]?.en ?? error.message,
        ...(error.details ? { details: error.details } : {}),
      },
    };
  }
  return { ok: false, error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en } };
}

export function isPageRequest(message: unknown): message is PageRequestMessage {
  const m = message as Partial<PageRequestMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    m.type === 'cardbridge/page-request' &&
    typeof m.action === 'string' &&
    typeof m.payload === 'object' &&
    m.payload !== null &&
    !Array.isArray(m.payload)
  );
}

export async function handlePageRequest(
  message: PageRequestMessage,
  senderOrigin: string | undefined,
  context: PageRequestContext,
): Promise<PageResponseMessage> {
  try {
    if (!senderOrigin || !isPageOriginAllowed(senderOrigin, await context.settings())) {
      throw new CardBridgeError(
        'ERR_ORIGIN_NOT_ALLOWED',
        `${senderOrigin ?? 'unknown origin'} is not allowed`,
      );
    }
    switch (message.action) {
      case 'status': {
        const status = await context.port.request<StatusResult>('status');
        return { ok: true, result: { ...status, extensionVersion: context.extensionVersion } };
      }
      case 'read-nhi-card':
        return { ok: true, result: await readNhiCard(senderOrigin, context) };
      case 'get-certificates':
        return { ok: true, result: await getCertificates(senderOrigin, context) };
      case 'authenticate':
        return { ok: true, result: await authenticate(senderOrigin, message.payload, context) };
      case 'sign':
        return { ok: true, result: await sign(senderOrigin, message.payload, context) };
      default:
        // Every action of the page protocol is handled above; anything else the page made up.
        throw new CardBridgeError(
          'ERR_UNKNOWN_COMMAND',
          `${String(message.action)} is not a CardBridge action`,
        );
    }
  } catch (error) {
    if (error instanceof CardBridgeError && !isErrorCode(error.code))
      return failure(new CardBridgeError('ERR_INTERNAL', error.message));
    return failure(error);
  }
}

function stringField(payload: Record<string, unknown>, name: string, min: number, max: number): string {
  const value = payload[name];
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw new CardBridgeError('ERR_BAD_REQUEST', `${name} must be a string of ${min} to ${max} characters`);
  }
  return value;
}

/**
 * Reading from the cards without a PIN (NHI card data, the list of certificates) needs the clerk's
 * consent once per origin, asked in the prompt; "remember" keeps it for that origin only.
 */
async function withConsent(
  kind: 'read-nhi-card' | 'get-certificates',
  consent: ConsentStore,
  origin: string,
  context: PageRequestContext,
  read: () => Promise<unknown>,
): Promise<unknown> {
  if (await consent.has(origin)) return read();
  return context.askClerk({
    kind,
    origin,
    execute: async (answer) => {
      if (answer.remember) await consent.add(origin);
      return read();
    },
  });
}

const readNhiCard = (origin: string, context: PageRequestContext) =>
  withConsent('read-nhi-card', context.nhiConsent, origin, context, () =>
    context.port.request('nhi.readBasic', {}),
  );

/** What a page learns of a certificate: public data only (no token ids, no PIN-pad details). */
function publicCertificate(c: ListedCertificateResult) {
  return {
    certificate: c.certificate,
    family: c.family,
    subject: c.subject,
    issuer: c.issuer,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    keyUsage: c.keyUsage,
  };
}

const getCertificates = (origin: string, context: PageRequestContext) =>
  withConsent('get-certificates', context.certificateConsent, origin, context, async () => ({
    certificates: (await listCertificates(context.port)).map(publicCertificate),
  }));

async function authenticate(
  origin: string,
  payload: Record<string, unknown>,
  context: PageRequestContext,
): Promise<unknown> {
  const challengeNonce = stringField(payload, 'challengeNonce', 44, 256);
  return context.askClerk(await authenticatePrompt(context.port, origin, challengeNonce));
}

async function sign(
  origin: string,
  payload: Record<string, unknown>,
  context: PageRequestContext,
): Promise<unknown> {
  const hash = stringField(payload, 'hash', 1, 128);
  const hashFunction = stringField(payload, 'hashFunction', 1, 16);
  if (!isHashName(hashFunction)) throw new CardBridgeError('ERR_BAD_REQUEST', 'unknown hashFunction');
  const format = payload.format === 'cms' ? 'cms' : 'raw';
  const documentName =
    typeof payload.documentName === 'string' ? payload.documentName.slice(0, 200) : undefined;
  const digestHex = [...atob(hash)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return context.askClerk({
    kind: 'sign',
    origin,
    certificates: await listCertificates(context.port),
    ...(documentName ? { documentName } : {}),
    digestHex,
    hashFunction,
    execute: (answer) =>
      context.port.request(
        'sign',
        {
          origin,
          certificateId: answer.certificateId ?? '',
          hash,
          hashFunction,
          format,
          ...pinArgs(answer.pin),
        },
        CARD_OPERATION_TIMEOUT_MS,
      ),
  });
}
