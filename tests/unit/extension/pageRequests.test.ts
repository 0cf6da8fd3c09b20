/**
 * The background's handling of page requests: the sender's origin (from the browser) decides, host
 * errors reach the page with their code and the catalogue message, anything unexpected becomes
 * ERR_INTERNAL without its text.
 */
import { describe, expect, it, vi } from 'vitest';
import type { PromptRequest } from '../../../extension/background/prompts.ts';
import { CardBridgeError } from '../../../shared/protocol/cardBridgeError.ts';
import type { NativePort } from '../../../extension/background/nativePort.ts';
import { DEFAULT_ORIGIN_SETTINGS } from '../../../extension/background/originPolicy.ts';
import type { OriginSettings } from '../../../shared/protocol/origin.ts';
import {
  failure,
  handlePageRequest,
  isPageRequest,
  type PageRequestContext,
} from '../../../extension/background/pageRequests.ts';
import type { PageActionName, PageRequestMessage } from '../../../shared/pageapi/wire.ts';
import { ERROR_MESSAGES, type ErrorCode } from '../../../shared/protocol/errors.ts';
import type { StatusResult } from '../../../shared/protocol/messages.ts';

const NHI = 'https://eservice.nhi.gov.tw';
const EVIL = 'https://evil.example';

const STATUS: StatusResult = {
  version: '0.1.0',
  protocol: 1,
  pcsc: { available: true },
  readers: [],
  tokens: [],
};

function context(
  request: (command: string, args?: Record<string, unknown>) => Promise<unknown> = () =>
    Promise.resolve(STATUS),
  originSettings: OriginSettings = DEFAULT_ORIGIN_SETTINGS,
) {
  const port = { request: vi.fn(request) };
  const consented = new Set<string>();
  const certificateConsented = new Set<string>();
  // The clerk's answer in the prompt, as each test sets it; by default: approve, remember, PIN 1234.
  let answer: { approve: true; certificateId?: string; pin?: string; remember?: boolean } = {
    approve: true,
    certificateId: 'cert-1',
    pin: '1234',
    remember: true,
  };
  const askClerk = vi.fn((request: PromptRequest) => request.execute({ id: 'prompt-1', ...answer }));
  const ctx: PageRequestContext = {
    // handlePageRequest only ever calls port.request.
    port: port as unknown as NativePort,
    settings: vi.fn(() => Promise.resolve(originSettings)),
    extensionVersion: '1.2.3',
    askClerk,
    nhiConsent: {
      has: (origin) => Promise.resolve(consented.has(origin)),
      add: (origin) => Promise.resolve(void consented.add(origin)),
    },
    certificateConsent: {
      has: (origin) => Promise.resolve(certificateConsented.has(origin)),
      add: (origin) => Promise.resolve(void certificateConsented.add(origin)),
    },
    language: () => Promise.resolve('en'),
  };
  return {
    ctx,
    port,
    askClerk,
    consented,
    certificateConsented,
    setAnswer: (next: typeof answer) => {
      answer = next;
    },
  };
}

const message = (
  action: PageActionName = 'status',
  payload: Record<string, unknown> = {},
): PageRequestMessage => ({
  type: 'cardbridge/page-request',
  action,
  payload,
});

describe('handlePageRequest: the origin check', () => {
  it.each([
    ['a site outside the allow-list', EVIL],
    ['a look-alike of an NHI site', 'https://eservice.nhi.gov.tw.evil.example'],
    ['an NHI site over http', 'http://eservice.nhi.gov.tw'],
    ['a loopback page without development mode', 'http://127.0.0.1:8080'],
    ['an opaque origin', 'null'],
    ['no origin at all', undefined],
    ['an empty origin', ''],
  ])('refuses %s with ERR_ORIGIN_NOT_ALLOWED without asking the host', async (_name, origin) => {
    const { ctx, port } = context();
    const response = await handlePageRequest(message('status'), origin, ctx);
    expect(response).toEqual({
      ok: false,
      error: { code: 'ERR_ORIGIN_NOT_ALLOWED', message: ERROR_MESSAGES.ERR_ORIGIN_NOT_ALLOWED.en },
    });
    expect(port.request).not.toHaveBeenCalled();
  });

  it('refuses every action, not only status, from a disallowed origin', async () => {
    const { ctx, port } = context();
    const response = await handlePageRequest(message('sign', { data: 'AAAA' }), EVIL, ctx);
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_ORIGIN_NOT_ALLOWED' } });
    expect(port.request).not.toHaveBeenCalled();
  });

  it('ignores an origin that the page wrote into its own data', async () => {
    const { ctx, port } = context();
    const forged = {
      ...message('status', { origin: NHI, senderOrigin: NHI }),
      origin: NHI,
    } as PageRequestMessage;
    const response = await handlePageRequest(forged, EVIL, ctx);
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_ORIGIN_NOT_ALLOWED' } });
    expect(port.request).not.toHaveBeenCalled();

    // And the other way round: a forged bad origin does not stop an allowed sender.
    const allowed = await handlePageRequest(message('status', { origin: EVIL }), NHI, ctx);
    expect(allowed.ok).toBe(true);
  });

  it('uses the current settings: an origin the clerk added is allowed', async () => {
    const { ctx, port } = context(undefined, {
      ...DEFAULT_ORIGIN_SETTINGS,
      userOrigins: ['https://his.example-hospital.tw'],
    });
    const response = await handlePageRequest(message('status'), 'https://his.example-hospital.tw', ctx);
    expect(response.ok).toBe(true);
    expect(port.request).toHaveBeenCalledTimes(1);
    expect(ctx.settings).toHaveBeenCalled();
  });

  it('allows loopback http only when development mode is on', async () => {
    const dev = context(undefined, { ...DEFAULT_ORIGIN_SETTINGS, developmentMode: true });
    expect((await handlePageRequest(message('status'), 'http://127.0.0.1:8080', dev.ctx)).ok).toBe(true);
  });

  it('gives ERR_INTERNAL and asks no host when the settings cannot be read', async () => {
    const { ctx, port } = context();
    ctx.settings = () => Promise.reject(new Error('storage.managed exploded at /etc/secret'));
    const response = await handlePageRequest(message('status'), NHI, ctx);
    expect(response).toEqual({
      ok: false,
      error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en },
    });
    expect(port.request).not.toHaveBeenCalled();
  });
});

describe('handlePageRequest: status', () => {
  it("returns the host's status and the extension version", async () => {
    const { ctx, port } = context();
    const response = await handlePageRequest(message('status'), NHI, ctx);
    expect(response).toEqual({ ok: true, result: { ...STATUS, extensionVersion: '1.2.3' } });
    expect(port.request).toHaveBeenCalledTimes(1);
    expect(port.request).toHaveBeenCalledWith('status');
  });

  it('does not pass page data on to the host', async () => {
    const { ctx, port } = context();
    await handlePageRequest(message('status', { command: 'sign', arguments: { x: 1 } }), NHI, ctx);
    expect(port.request.mock.calls).toEqual([['status']]);
  });

  it.each<ErrorCode>(['ERR_PCSC_UNAVAILABLE', 'ERR_HOST_NOT_INSTALLED', 'ERR_HOST_FAILED', 'ERR_TIMEOUT'])(
    'passes a host %s on with the catalogue message instead of the raw text',
    async (code) => {
      const { ctx } = context(() =>
        Promise.reject(new CardBridgeError(code, 'SCardEstablishContext: 0x8010001d')),
      );
      const response = await handlePageRequest(message('status'), NHI, ctx);
      expect(response).toEqual({ ok: false, error: { code, message: ERROR_MESSAGES[code].en } });
    },
  );

  it("gives the message in the clerk's language: zh-TW when the clerk's UI is Chinese", async () => {
    const { ctx } = context(() => Promise.reject(new CardBridgeError('ERR_NO_CARD', 'no card')));
    ctx.language = () => Promise.resolve('zh-TW');
    const response = await handlePageRequest(message('status'), NHI, ctx);
    expect(response).toEqual({
      ok: false,
      error: { code: 'ERR_NO_CARD', message: ERROR_MESSAGES.ERR_NO_CARD['zh-TW'] },
    });
    expect(ERROR_MESSAGES.ERR_NO_CARD['zh-TW']).not.toBe(ERROR_MESSAGES.ERR_NO_CARD.en);
  });

  it('keeps the details of a CardBridgeError', async () => {
    const details = { hostVersion: '0.0.9', minHostVersion: '0.1.0' };
    const { ctx } = context(() =>
      Promise.reject(new CardBridgeError('ERR_HOST_INCOMPATIBLE', 'host 0.0.9 (protocol 1)', details)),
    );
    const response = await handlePageRequest(message('status'), NHI, ctx);
    expect(response).toEqual({
      ok: false,
      error: { code: 'ERR_HOST_INCOMPATIBLE', message: ERROR_MESSAGES.ERR_HOST_INCOMPATIBLE.en, details },
    });
  });

  it('turns any other error into ERR_INTERNAL without leaking its text', async () => {
    const { ctx } = context(() =>
      Promise.reject(new TypeError('cannot read /home/clerk/.cardbridge/secret.p12')),
    );
    const response = await handlePageRequest(message('status'), NHI, ctx);
    expect(response).toEqual({
      ok: false,
      error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en },
    });
    expect(JSON.stringify(response)).not.toContain('secret');
  });

  it('turns a host error code outside the catalogue into ERR_INTERNAL', async () => {
    const { ctx } = context(() =>
      Promise.reject(new CardBridgeError('ERR_FROM_THE_FUTURE' as ErrorCode, 'leaky host text')),
    );
    const response = await handlePageRequest(message('status'), NHI, ctx);
    expect(response).toEqual({
      ok: false,
      error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en },
    });
  });
});

describe('handlePageRequest: unknown actions', () => {
  it('refuses an action outside the page protocol the same way', async () => {
    const { ctx, port } = context();
    const response = await handlePageRequest(
      { ...message(), action: 'factory-reset' as PageActionName },
      NHI,
      ctx,
    );
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_UNKNOWN_COMMAND' } });
    expect(port.request).not.toHaveBeenCalled();
  });
});

describe('failure', () => {
  it('uses the catalogue message for a CardBridgeError and adds details only when there are some', () => {
    expect(failure(new CardBridgeError('ERR_NO_CARD', 'raw'), 'en')).toEqual({
      ok: false,
      error: { code: 'ERR_NO_CARD', message: ERROR_MESSAGES.ERR_NO_CARD.en },
    });
    expect(failure(new CardBridgeError('ERR_NO_CARD', 'raw', { reader: 'R' }), 'en')).toEqual({
      ok: false,
      error: { code: 'ERR_NO_CARD', message: ERROR_MESSAGES.ERR_NO_CARD.en, details: { reader: 'R' } },
    });
  });

  it.each([new Error('boom'), 'a string', undefined, { code: 'ERR_NO_CARD', message: 'duck-typed' }])(
    'gives ERR_INTERNAL for anything else (%s)',
    (error) => {
      expect(failure(error, 'en')).toEqual({
        ok: false,
        error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en },
      });
    },
  );
});

describe('isPageRequest', () => {
  it('accepts a page request from the content script', () => {
    expect(isPageRequest(message('status'))).toBe(true);
    expect(isPageRequest(message('sign', { data: 'AAAA' }))).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', 'cardbridge/page-request'],
    ['a number', 42],
    ['another message type', { type: 'cardbridge/options-changed', action: 'status', payload: {} }],
    ['no type', { action: 'status', payload: {} }],
    ['no action', { type: 'cardbridge/page-request', payload: {} }],
    ['a non-string action', { type: 'cardbridge/page-request', action: 7, payload: {} }],
    ['no payload', { type: 'cardbridge/page-request', action: 'status' }],
    ['a string payload', { type: 'cardbridge/page-request', action: 'status', payload: 'x' }],
  ])('rejects %s', (_name, value) => {
    expect(isPageRequest(value)).toBe(false);
  });
});

describe('isPageRequest: payload shape', () => {
  it('refuses a null or array payload', () => {
    expect(isPageRequest({ type: 'cardbridge/page-request', action: 'status', payload: null })).toBe(false);
    expect(isPageRequest({ type: 'cardbridge/page-request', action: 'status', payload: [] })).toBe(false);
  });
});

const LISTED = {
  id: 'cert-1',
  token: { source: 'pkcs11', slot: 'secret-slot-label' },
  certificate: 'MIIB',
  family: 'MOICA',
  subject: { commonName: '王大明 TEST', idLast4: '6789' },
  issuer: 'CN=TEST MOICA',
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2028-01-01T00:00:00.000Z',
  keyUsage: ['digitalSignature'],
  hasPrivateKey: true,
  pinpad: false,
};
const CERTIFICATES = { certificates: [LISTED] };
const hostAnswers = (command: string) =>
  Promise.resolve(
    command === 'certificates.list'
      ? CERTIFICATES
      : command === 'authenticate'
        ? { format: 'web-eid:1.0' }
        : { ok: command },
  );

describe('handlePageRequest: card operations go through the prompt', () => {
  it('authenticate: the clerk is asked, and the host gets the sender origin, the nonce, the chosen certificate and PIN', async () => {
    const { ctx, port, askClerk } = context(hostAnswers);
    const nonce = 'n'.repeat(44);
    const response = await handlePageRequest(
      message('authenticate', { challengeNonce: nonce, origin: 'https://forged.example' }),
      NHI,
      ctx,
    );
    expect(response).toEqual({ ok: true, result: { format: 'web-eid:1.0' } });
    expect(askClerk).toHaveBeenCalledWith(expect.objectContaining({ kind: 'authenticate', origin: NHI }));
    expect(port.request).toHaveBeenCalledWith(
      'authenticate',
      { origin: NHI, challengeNonce: nonce, certificateId: 'cert-1', pin: '1234' },
      expect.any(Number),
    );
  });

  it('authenticate: a missing or short nonce is refused before anything is shown', async () => {
    const { ctx, askClerk } = context(hostAnswers);
    for (const payload of [{}, { challengeNonce: 'short' }, { challengeNonce: 42 }]) {
      const response = await handlePageRequest(message('authenticate', payload), NHI, ctx);
      expect(response).toMatchObject({ ok: false, error: { code: 'ERR_BAD_REQUEST' } });
    }
    expect(askClerk).not.toHaveBeenCalled();
  });

  it('authenticate: no certificate anywhere → ERR_CERTIFICATE_NOT_FOUND without a prompt', async () => {
    const { ctx, askClerk } = context((command) =>
      Promise.resolve(command === 'certificates.list' ? { certificates: [] } : {}),
    );
    const response = await handlePageRequest(
      message('authenticate', { challengeNonce: 'n'.repeat(44) }),
      NHI,
      ctx,
    );
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_CERTIFICATE_NOT_FOUND' } });
    expect(askClerk).not.toHaveBeenCalled();
  });

  it('sign: shows the digest in hex and refuses an unknown hash function', async () => {
    const { ctx, askClerk, port } = context(hostAnswers);
    const hash = Buffer.alloc(32, 0xab).toString('base64');
    await handlePageRequest(
      message('sign', { hash, hashFunction: 'SHA-256', format: 'cms', documentName: 'TEST.pdf' }),
      NHI,
      ctx,
    );
    expect(askClerk).toHaveBeenCalledWith(
      expect.objectContaining({
        kind: 'sign',
        digestHex: 'ab'.repeat(32),
        documentName: 'TEST.pdf',
        hashFunction: 'SHA-256',
      }),
    );
    expect(port.request).toHaveBeenCalledWith(
      'sign',
      expect.objectContaining({ origin: NHI, format: 'cms', hash }),
      expect.any(Number),
    );
    const bad = await handlePageRequest(message('sign', { hash, hashFunction: 'MD5' }), NHI, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'ERR_BAD_REQUEST' } });
  });

  it('read-nhi-card: asks once, remembers the consent for that origin only, then reads without asking', async () => {
    const { ctx, askClerk, consented } = context(hostAnswers);
    await handlePageRequest(message('read-nhi-card'), NHI, ctx);
    expect(askClerk).toHaveBeenCalledTimes(1);
    expect([...consented]).toEqual([NHI]);
    const second = await handlePageRequest(message('read-nhi-card'), NHI, ctx);
    expect(second).toEqual({ ok: true, result: { ok: 'nhi.readBasic' } });
    expect(askClerk).toHaveBeenCalledTimes(1);
  });

  it('read-nhi-card: consent not remembered when the clerk unticks it', async () => {
    const { ctx, askClerk, consented, setAnswer } = context(hostAnswers);
    setAnswer({ approve: true, remember: false });
    await handlePageRequest(message('read-nhi-card'), NHI, ctx);
    await handlePageRequest(message('read-nhi-card'), NHI, ctx);
    expect(askClerk).toHaveBeenCalledTimes(2);
    expect(consented.size).toBe(0);
  });

  it('get-certificates: asks once per origin, then gives the public part of each certificate only', async () => {
    const { ctx, askClerk, certificateConsented, consented } = context(hostAnswers);
    const first = await handlePageRequest(message('get-certificates'), NHI, ctx);
    expect(askClerk).toHaveBeenCalledWith(expect.objectContaining({ kind: 'get-certificates', origin: NHI }));
    expect([...certificateConsented]).toEqual([NHI]);
    // A consent to list certificates is not a consent to read the NHI card.
    expect(consented.size).toBe(0);
    const second = await handlePageRequest(message('get-certificates'), NHI, ctx);
    expect(askClerk).toHaveBeenCalledTimes(1);
    expect(second).toEqual(first);
    const [listed] = (first as { ok: true; result: { certificates: Array<Record<string, unknown>> } }).result
      .certificates;
    expect(listed).toEqual({
      certificate: 'MIIB',
      family: 'MOICA',
      subject: { commonName: '王大明 TEST', idLast4: '6789' },
      issuer: 'CN=TEST MOICA',
      notBefore: LISTED.notBefore,
      notAfter: LISTED.notAfter,
      keyUsage: ['digitalSignature'],
    });
    expect(listed).not.toHaveProperty('token');
    expect(listed).not.toHaveProperty('id');
  });

  it('get-certificates: the clerk cancelling gives ERR_USER_CANCELLED and nothing is remembered', async () => {
    const { ctx, certificateConsented } = context(hostAnswers);
    ctx.askClerk = vi.fn(() => Promise.reject(new CardBridgeError('ERR_USER_CANCELLED', 'no')));
    const response = await handlePageRequest(message('get-certificates'), NHI, ctx);
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_USER_CANCELLED' } });
    expect(certificateConsented.size).toBe(0);
  });

  it('get-certificates: no certificate anywhere → ERR_CERTIFICATE_NOT_FOUND', async () => {
    const { ctx } = context((command) =>
      Promise.resolve(command === 'certificates.list' ? { certificates: [] } : {}),
    );
    await ctx.certificateConsent.add(NHI);
    const response = await handlePageRequest(message('get-certificates'), NHI, ctx);
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_CERTIFICATE_NOT_FOUND' } });
  });
});

describe('handlePageRequest: every payload is checked against the page API', () => {
  const HASH = Buffer.alloc(32, 1).toString('base64');
  const badRequest = {
    ok: false,
    error: {
      code: 'ERR_BAD_REQUEST',
      message: ERROR_MESSAGES.ERR_BAD_REQUEST.en,
      details: { reason: expect.stringMatching(/^payload/) as unknown },
    },
  };

  it.each<[string, PageActionName, Record<string, unknown>]>([
    ['a nonce that is an object', 'authenticate', { challengeNonce: { toString: 'x' } }],
    ['a nonce over 256 characters', 'authenticate', { challengeNonce: 'n'.repeat(257) }],
    ['a hash that is not base64', 'sign', { hash: '<img src=x>', hashFunction: 'SHA-256' }],
    ['a hash over 128 characters', 'sign', { hash: 'A'.repeat(132), hashFunction: 'SHA-256' }],
    ['a hash function outside the list', 'sign', { hash: HASH, hashFunction: 'MD5' }],
    ['an unknown format', 'sign', { hash: HASH, hashFunction: 'SHA-256', format: 'pdf' }],
    ['a document name that is not text', 'sign', { hash: HASH, hashFunction: 'SHA-256', documentName: [1] }],
    [
      'a document name of 2,000 characters',
      'sign',
      { hash: HASH, hashFunction: 'SHA-256', documentName: 'd'.repeat(2000) },
    ],
    // Status names no fields, so only the JSON-data rule (shared with the content script) refuses these.
    ['a __proto__ key', 'status', JSON.parse('{"__proto__": {"admin": true}}') as Record<string, unknown>],
    ['a Map', 'status', { extra: new Map([['a', 1]]) }],
    ['a BigInt', 'status', { extra: 1n }],
    [
      'a payload nested 20 deep',
      'status',
      JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`) as Record<string, unknown>,
    ],
    ['a payload of 100,000 characters', 'status', { extra: 'x'.repeat(100_000) }],
  ])(
    'refuses %s with ERR_BAD_REQUEST, asking neither the clerk nor the host',
    async (_name, action, payload) => {
      const { ctx, port, askClerk } = context(hostAnswers);
      const response = await handlePageRequest(message(action, payload), NHI, ctx);
      expect(response).toEqual(badRequest);
      expect(askClerk).not.toHaveBeenCalled();
      expect(port.request).not.toHaveBeenCalled();
    },
  );

  it('checks the origin before the payload: a refused site learns nothing about its payload', async () => {
    const { ctx } = context(hostAnswers);
    const response = await handlePageRequest(message('sign', { hash: 7 }), EVIL, ctx);
    expect(response).toMatchObject({ ok: false, error: { code: 'ERR_ORIGIN_NOT_ALLOWED' } });
  });

  it('passes a valid sign payload on with only the fields the host protocol names', async () => {
    const { ctx, port } = context(hostAnswers);
    const payload = { hash: HASH, hashFunction: 'SHA-384', documentName: 'x', padding: 'pss', pin: '0000' };
    await handlePageRequest(message('sign', payload), NHI, ctx);
    expect(port.request).toHaveBeenCalledWith(
      'sign',
      {
        origin: NHI,
        certificateId: 'cert-1',
        hash: HASH,
        hashFunction: 'SHA-384',
        format: 'raw',
        pin: '1234',
      },
      expect.any(Number),
    );
  });
});
