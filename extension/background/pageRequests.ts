/**
 * Requests from web pages (through the content script). The origin is the sender's, as the browser
 * reports it; pages on origins outside the allow-list get ERR_ORIGIN_NOT_ALLOWED and nothing else.
 */
import { ERROR_MESSAGES, isErrorCode } from '../../shared/protocol/errors.ts';
import type { ListedCertificateResult, StatusResult } from '../../shared/protocol/messages.ts';
import type { PageRequestMessage, PageResponseMessage } from '../lib/pageProtocol.ts';
import { CardBridgeError, type NativePort } from './nativePort.ts';
import { isOriginAllowed, type OriginSettings } from './originPolicy.ts';
import type { PromptRequest } from './prompts.ts';

export interface PageRequestContext {
  port: NativePort;
  settings: () => Promise<OriginSettings>;
  extensionVersion: string;
  /** Shows the prompt window; resolves with the operation's result once the clerk approved. */
  askClerk: (request: PromptRequest) => Promise<unknown>;
  /** Origins the clerk allowed to read the NHI card without asking again. */
  nhiConsent: { has(origin: string): Promise<boolean>; add(origin: string): Promise<void> };
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
    if (!senderOrigin || !isOriginAllowed(senderOrigin, await context.settings())) {
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
      case 'authenticate':
        return { ok: true, result: await authenticate(senderOrigin, message.payload, context) };
      case 'sign':
        return { ok: true, result: await sign(senderOrigin, message.payload, context) };
      default:
        // Listing certificates for a page needs its own consent step: not in this build yet.
        throw new CardBridgeError(
          'ERR_UNKNOWN_COMMAND',
          `${message.action} is not available in this version`,
        );
    }
  } catch (error) {
    if (error instanceof CardBridgeError && !isErrorCode(error.code))
      return failure(new CardBridgeError('ERR_INTERNAL', error.message));
    return failure(error);
  }
}

/** Long enough for a PIN typed on a PIN-pad reader. */
const CARD_OPERATION_TIMEOUT_MS = 130_000;

function stringField(payload: Record<string, unknown>, name: string, min: number, max: number): string {
  const value = payload[name];
  if (typeof value !== 'string' || value.length < min || value.length > max) {
    throw new CardBridgeError('ERR_BAD_REQUEST', `${name} must be a string of ${min} to ${max} characters`);
  }
  return value;
}

async function certificatesFor(context: PageRequestContext): Promise<ListedCertificateResult[]> {
  const { certificates } = await context.port.request<{ certificates: ListedCertificateResult[] }>(
    'certificates.list',
  );
  if (certificates.length === 0)
    throw new CardBridgeError('ERR_CERTIFICATE_NOT_FOUND', 'no certificate in any token');
  return certificates;
}

const pinArgs = (pin: string | undefined) => (pin ? { pin } : {});

/** Reading the NHI card needs the clerk's consent once per origin (asked in the prompt). */
async function readNhiCard(origin: string, context: PageRequestContext): Promise<unknown> {
  const read = () => context.port.request('nhi.readBasic', {});
  if (await context.nhiConsent.has(origin)) return read();
  return context.askClerk({
    kind: 'read-nhi-card',
    origin,
    execute: async (answer) => {
      if (answer.remember) await context.nhiConsent.add(origin);
      return read();
    },
  });
}

async function authenticate(
  origin: string,
  payload: Record<string, unknown>,
  context: PageRequestContext,
): Promise<unknown> {
  const challengeNonce = stringField(payload, 'challengeNonce', 44, 256);
  return context.askClerk({
    kind: 'authenticate',
    origin,
    certificates: await certificatesFor(context),
    execute: (answer) =>
      context.port.request(
        'authenticate',
        { origin, challengeNonce, certificateId: answer.certificateId ?? '', ...pinArgs(answer.pin) },
        CARD_OPERATION_TIMEOUT_MS,
      ),
  });
}

const HASH_FUNCTIONS = new Set(['SHA-256', 'SHA-384', 'SHA-512']);

async function sign(
  origin: string,
  payload: Record<string, unknown>,
  context: PageRequestContext,
): Promise<unknown> {
  const hash = stringField(payload, 'hash', 1, 128);
  const hashFunction = stringField(payload, 'hashFunction', 1, 16);
  if (!HASH_FUNCTIONS.has(hashFunction)) throw new CardBridgeError('ERR_BAD_REQUEST', 'unknown hashFunction');
  const format = payload.format === 'cms' ? 'cms' : 'raw';
  const documentName =
    typeof payload.documentName === 'string' ? payload.documentName.slice(0, 200) : undefined;
  const digestHex = [...atob(hash)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return context.askClerk({
    kind: 'sign',
    origin,
    certificates: await certificatesFor(context),
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
