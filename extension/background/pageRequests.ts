/**
 * Requests from web pages (through the content script). The origin is the sender's, as the browser
 * reports it; pages on origins outside the allow-list get ERR_ORIGIN_NOT_ALLOWED and nothing else.
 */
import { Value } from '@sinclair/typebox/value';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import { ERROR_MESSAGES, isErrorCode, type LocalizedText } from '../../shared/protocol/errors.ts';
import type { ListedCertificateResult } from '../../shared/protocol/messages.ts';
import { PAGE_ACTIONS, type PagePayload, type PublicCertificate } from '../../shared/pageapi/actions.ts';
import {
  plainPayload,
  type PageActionName,
  type PageRequestMessage,
  type PageResponseMessage,
} from '../../shared/pageapi/wire.ts';
import {
  authenticatePrompt,
  CARD_OPERATION_TIMEOUT_MS,
  listCertificates,
  listCertificatesFor,
  pinArgs,
} from './cardOperations.ts';
import type { ConsentStore } from './consent.ts';
import type { NativePort } from './nativePort.ts';
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
  /** The clerk's UI language (the options' choice, else the browser's): error messages are in it. */
  language: () => Promise<keyof LocalizedText>;
}

/**
 * The page gets a documented code with the catalogue's text, in the clerk's language, only; anything
 * else is ERR_INTERNAL.
 */
export function failure(error: unknown, language: keyof LocalizedText): PageResponseMessage {
  if (error instanceof CardBridgeError && isErrorCode(error.code)) {
    return {
      ok: false,
      error: {
        code: error.code,
        message: ERROR_MESSAGES[error.code][language],
        ...(error.details ? { details: error.details } : {}),
      },
    };
  }
  return { ok: false, error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL[language] } };
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
    const action: string = message.action;
    if (!Object.hasOwn(PAGE_ACTIONS, action)) {
      // The content script relays only the page API's actions; anything else the sender made up.
      throw new CardBridgeError('ERR_UNKNOWN_COMMAND', `${action} is not a CardBridge action`);
    }
    return { ok: true, result: await run(message.action, message.payload, senderOrigin, context) };
  } catch (error) {
    return failure(error, await context.language().catch(() => 'en' as const));
  }
}

type ActionHandler<A extends PageActionName> = (
  origin: string,
  payload: PagePayload<A>,
  context: PageRequestContext,
) => Promise<unknown>;

/** One handler per action of the page API (a missing one fails typecheck). */
const HANDLERS: { [A in PageActionName]: ActionHandler<A> } = {
  status: async (_origin, _payload, context) => ({
    ...(await context.port.request('status')),
    extensionVersion: context.extensionVersion,
  }),
  'read-nhi-card': (origin, _payload, context) => readNhiCard(origin, context),
  'get-certificates': (origin, _payload, context) => getCertificates(origin, context),
  authenticate: async (origin, payload, context) =>
    // A page does not say whose login it is: unit and citizen certificates are both offered.
    context.askClerk(await authenticatePrompt(context.port, origin, payload.challengeNonce, 'site-login')),
  sign: (origin, payload, context) => sign(origin, payload, context),
};

/** Checks the payload against the action's schema, then runs it: a page's payload is never trusted. */
function run<A extends PageActionName>(
  action: A,
  payload: unknown,
  origin: string,
  context: PageRequestContext,
): Promise<unknown> {
  const schema = PAGE_ACTIONS[action].payload;
  // The content script's rule again: a sender that skipped it still gets JSON data only.
  if (!plainPayload(payload)) {
    throw new CardBridgeError('ERR_BAD_REQUEST', `${action}: the payload is not plain JSON data`, {
      reason: 'payload: not plain JSON data within the page API limits',
    });
  }
  if (!Value.Check(schema, payload)) {
    const first = Value.Errors(schema, payload).First();
    throw new CardBridgeError('ERR_BAD_REQUEST', `${action}: the payload does not match the page API`, {
      reason: first ? `payload${first.path}: ${first.message}` : 'invalid payload',
    });
  }
  const handler: ActionHandler<A> = HANDLERS[action];
  return handler(origin, payload, context);
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

/** The public part of a listed certificate (PublicCertificateSchema names the fields). */
function publicCertificate(c: ListedCertificateResult): PublicCertificate {
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

async function sign(
  origin: string,
  payload: PagePayload<'sign'>,
  context: PageRequestContext,
): Promise<unknown> {
  const { hash, hashFunction } = payload;
  const documentName = payload.documentName?.slice(0, 200);
  const digestHex = [...atob(hash)].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return context.askClerk({
    kind: 'sign',
    origin,
    // A page's signature is a filing, signed by the clerk with the clerk's own certificate.
    task: 'sign-filing',
    certificates: await listCertificatesFor(context.port, 'sign-filing'),
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
          format: payload.format ?? 'raw',
          ...pinArgs(answer.pin),
        },
        CARD_OPERATION_TIMEOUT_MS,
      ),
  });
}
