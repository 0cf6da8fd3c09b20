/**
 * Card operations of the bundled portal pages: each goes through the clerk's prompt, and the origin
 * the login token or NHI challenge is bound to is the configured portal address, never page data.
 */
import { describe, expect, it, vi } from 'vitest';
import { CardBridgeError } from '../../../shared/protocol/cardBridgeError.ts';
import type { NativePort } from '../../../extension/background/nativePort.ts';
import {
  handlePortalRequest,
  type PortalRequestContext,
} from '../../../extension/background/portalRequests.ts';
import type { PromptRequest } from '../../../extension/background/prompts.ts';
import type { PortalRequest } from '../../../extension/lib/uiProtocol.ts';
import { nhiChallenge } from '../../../shared/nhi/challenge.ts';
import type { ListedCertificateResult } from '../../../shared/protocol/messages.ts';

const PORTAL = 'https://portal.example.tw';
const NONCE = 'q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq80=';

const certificate = (
  id: string,
  overrides: Partial<ListedCertificateResult> = {},
): ListedCertificateResult => ({
  id,
  token: { kind: 'pkcs11', source: '/usr/lib/libHiCOSPKCS11.so', label: 'HiCOS', serial: '0001' },
  certificate: `MIIB${id}`,
  family: 'MOICA',
  subject: { commonName: `Clerk ${id}`, idLast4: '1234' },
  issuer: 'CN=MOICA',
  notBefore: '2024-01-01T00:00:00.000Z',
  notAfter: '2029-01-01T00:00:00.000Z',
  keyUsage: ['digitalSignature'],
  hasPrivateKey: true,
  pinpad: false,
  ...overrides,
});

const CERTIFICATES = [
  certificate('cert-1'),
  certificate('cert-2', { family: 'GCA', subject: { commonName: 'Unit', ubn: '12345678' } }),
];

type Answer = Parameters<PromptRequest['execute']>[0];

function context({
  list = CERTIFICATES,
  answer = { id: 'prompt-1', approve: true, certificateId: 'cert-1', pin: '123456' },
  hostResult = { token: 'signed-token' },
}: { list?: ListedCertificateResult[]; answer?: Answer; hostResult?: unknown } = {}) {
  const port = {
    request: vi.fn((command: string, _args?: Record<string, unknown>, _timeoutMs?: number) =>
      Promise.resolve(command === 'certificates.list' ? { certificates: list } : hostResult),
    ),
  };
  const askClerk = vi.fn((request: PromptRequest) => request.execute(answer));
  const portalAddress = vi.fn(() => Promise.resolve(PORTAL));
  const ctx: PortalRequestContext = {
    // handlePortalRequest only ever calls port.request.
    port: port as unknown as NativePort,
    askClerk,
    portalAddress,
  };
  const hostCalls = (command: string) => port.request.mock.calls.filter(([c]) => c === command);
  return { ctx, port, askClerk, portalAddress, hostCalls };
}

const request = (command: PortalRequest['command'], extra: Record<string, unknown> = {}) =>
  ({ type: 'cardbridge/ui', command, ...extra }) as PortalRequest;

async function rejection(promise: Promise<unknown>): Promise<CardBridgeError> {
  const error: unknown = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CardBridgeError);
  return error as CardBridgeError;
}

const BAD_NONCES: Array<[string, unknown]> = [
  ['missing', undefined],
  ['empty', ''],
  ['too short', 'AAAA'],
  ['43 characters without padding', 'A'.repeat(43)],
  ['base64url characters', `${'-_'.repeat(21)}A=`],
  ['too long', 'A'.repeat(257)],
  ['with a newline', `${NONCE}\n`],
  ['with spaces', `${NONCE.slice(0, 20)} ${NONCE.slice(21)}`],
  ['padding only', '='.repeat(44)],
  ['padding in the middle', `${NONCE.slice(0, 20)}=${NONCE.slice(21)}`],
  ['a length that is not a multiple of 4', 'A'.repeat(45)],
  ['not a string', 12345],
  ['an object', { toString: () => NONCE }],
];

describe('handlePortalRequest: portal-authenticate', () => {
  it('asks the clerk with the portal address and the listed certificates', async () => {
    const { ctx, askClerk } = context();
    await handlePortalRequest(request('portal-authenticate', { nonce: NONCE }), ctx);
    expect(askClerk).toHaveBeenCalledTimes(1);
    const prompt = askClerk.mock.calls[0]![0];
    expect(prompt.kind).toBe('authenticate');
    expect(prompt.origin).toBe(PORTAL);
    expect(prompt.certificates).toEqual(CERTIFICATES);
  });

  it('sends host authenticate with the portal address, the nonce, the chosen certificate and the PIN', async () => {
    const { ctx, hostCalls } = context();
    const result = await handlePortalRequest(request('portal-authenticate', { nonce: NONCE }), ctx);
    expect(result).toEqual({ token: 'signed-token' });
    const calls = hostCalls('authenticate');
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toEqual({
      origin: PORTAL,
      challengeNonce: NONCE,
      certificateId: 'cert-1',
      pin: '123456',
    });
    // Long enough for a PIN typed on a PIN-pad reader.
    expect(calls[0]![2]).toBeGreaterThanOrEqual(120_000);
  });

  it('binds to the configured portal address, not to an origin written in the request', async () => {
    const { ctx, askClerk, hostCalls, portalAddress } = context();
    const forged = request('portal-authenticate', {
      nonce: NONCE,
      origin: 'https://evil.example',
      portalAddress: 'https://evil.example',
    });
    await handlePortalRequest(forged, ctx);
    expect(portalAddress).toHaveBeenCalled();
    expect(askClerk.mock.calls[0]![0].origin).toBe(PORTAL);
    expect(hostCalls('authenticate')[0]![1]).toMatchObject({ origin: PORTAL });
  });

  it('follows a change of the portal address', async () => {
    const { ctx, hostCalls, portalAddress } = context();
    portalAddress.mockResolvedValue('http://127.0.0.1:8780');
    await handlePortalRequest(request('portal-authenticate', { nonce: NONCE }), ctx);
    expect(hostCalls('authenticate')[0]![1]).toMatchObject({ origin: 'http://127.0.0.1:8780' });
  });

  it('sends no PIN when the clerk typed none (a PIN-pad reader)', async () => {
    const { ctx, hostCalls } = context({ answer: { id: 'p', approve: true, certificateId: 'cert-2' } });
    await handlePortalRequest(request('portal-authenticate', { nonce: NONCE }), ctx);
    const args = hostCalls('authenticate')[0]![1]!;
    expect(args).toEqual({ origin: PORTAL, challengeNonce: NONCE, certificateId: 'cert-2' });
    expect(args).not.toHaveProperty('pin');
  });

  it.each(BAD_NONCES)(
    'refuses a nonce that is %s with ERR_BAD_REQUEST before any prompt',
    async (_name, nonce) => {
      const { ctx, askClerk, port } = context();
      const error = await rejection(handlePortalRequest(request('portal-authenticate', { nonce }), ctx));
      expect(error.code).toBe('ERR_BAD_REQUEST');
      expect(askClerk).not.toHaveBeenCalled();
      expect(port.request).not.toHaveBeenCalled();
    },
  );

  it('accepts longer base64 nonces up to 256 characters', async () => {
    const nonce = Buffer.alloc(96, 7).toString('base64');
    const { ctx, hostCalls } = context();
    await handlePortalRequest(request('portal-authenticate', { nonce }), ctx);
    expect(hostCalls('authenticate')[0]![1]).toMatchObject({ challengeNonce: nonce });
  });

  it('gives ERR_CERTIFICATE_NOT_FOUND without a prompt when no token holds a certificate', async () => {
    const { ctx, askClerk, hostCalls } = context({ list: [] });
    const error = await rejection(handlePortalRequest(request('portal-authenticate', { nonce: NONCE }), ctx));
    expect(error.code).toBe('ERR_CERTIFICATE_NOT_FOUND');
    expect(askClerk).not.toHaveBeenCalled();
    expect(hostCalls('authenticate')).toHaveLength(0);
  });

  it('passes on a host error', async () => {
    const { ctx, port } = context();
    port.request.mockImplementation((command: string) =>
      command === 'certificates.list'
        ? Promise.resolve({ certificates: CERTIFICATES })
        : Promise.reject(new CardBridgeError('ERR_PIN_INCORRECT', 'wrong PIN')),
    );
    const error = await rejection(handlePortalRequest(request('portal-authenticate', { nonce: NONCE }), ctx));
    expect(error.code).toBe('ERR_PIN_INCORRECT');
  });

  it('does nothing on the card when the clerk does not approve', async () => {
    const { ctx, askClerk, hostCalls } = context();
    askClerk.mockImplementation(() => Promise.reject(new CardBridgeError('ERR_USER_CANCELLED', 'cancelled')));
    const error = await rejection(handlePortalRequest(request('portal-authenticate', { nonce: NONCE }), ctx));
    expect(error.code).toBe('ERR_USER_CANCELLED');
    expect(hostCalls('authenticate')).toHaveLength(0);
  });
});

describe('handlePortalRequest: portal-nhi-authenticate', () => {
  it('asks the clerk with kind nhi-authenticate and the portal address', async () => {
    const { ctx, askClerk } = context();
    await handlePortalRequest(request('portal-nhi-authenticate', { nonce: NONCE }), ctx);
    expect(askClerk).toHaveBeenCalledTimes(1);
    expect(askClerk.mock.calls[0]![0]).toMatchObject({ kind: 'nhi-authenticate', origin: PORTAL });
  });

  it('sends host nhi.authenticate with the challenge bound to the portal address and the nonce', async () => {
    const { ctx, hostCalls } = context({ hostResult: { response: 'abc' } });
    const result = await handlePortalRequest(
      request('portal-nhi-authenticate', { nonce: NONCE, origin: 'https://evil.example' }),
      ctx,
    );
    expect(result).toEqual({ response: 'abc' });
    const calls = hostCalls('nhi.authenticate');
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toEqual({
      challenge: Buffer.from(await nhiChallenge(PORTAL, NONCE)).toString('base64'),
    });
    expect(calls[0]![1]).not.toEqual({
      challenge: Buffer.from(await nhiChallenge('https://evil.example', NONCE)).toString('base64'),
    });
  });

  it('needs no certificate list', async () => {
    const { ctx, hostCalls } = context({ list: [] });
    await handlePortalRequest(request('portal-nhi-authenticate', { nonce: NONCE }), ctx);
    expect(hostCalls('nhi.authenticate')).toHaveLength(1);
  });

  it.each(BAD_NONCES)(
    'refuses a nonce that is %s with ERR_BAD_REQUEST before any prompt',
    async (_name, nonce) => {
      const { ctx, askClerk, port } = context();
      const error = await rejection(handlePortalRequest(request('portal-nhi-authenticate', { nonce }), ctx));
      expect(error.code).toBe('ERR_BAD_REQUEST');
      expect(askClerk).not.toHaveBeenCalled();
      expect(port.request).not.toHaveBeenCalled();
    },
  );
});

describe('handlePortalRequest: portal-choose-certificate', () => {
  it('asks the clerk with kind choose-certificate, the portal address and the citizen certificates only', async () => {
    const { ctx, askClerk } = context();
    await handlePortalRequest(request('portal-choose-certificate'), ctx);
    expect(askClerk.mock.calls[0]![0]).toMatchObject({
      kind: 'choose-certificate',
      origin: PORTAL,
      task: 'clerk-assign',
      // cert-2 is the unit's GCA certificate: a clerk is never given the unit's certificate.
      certificates: [CERTIFICATES[0]],
    });
  });

  it('returns only the public part of the chosen certificate', async () => {
    const { ctx } = context({ answer: { id: 'p', approve: true, certificateId: 'cert-1' } });
    const result = await handlePortalRequest(request('portal-choose-certificate'), ctx);
    expect(result).toEqual({
      certificate: 'MIIBcert-1',
      family: 'MOICA',
      subject: { commonName: 'Clerk cert-1', idLast4: '1234' },
      notAfter: '2029-01-01T00:00:00.000Z',
    });
    expect(Object.keys(result as object).sort()).toEqual(['certificate', 'family', 'notAfter', 'subject']);
    expect(result).not.toHaveProperty('token');
    expect(result).not.toHaveProperty('id');
  });

  it('does not send the PIN or anything else to the host for the choice', async () => {
    const { ctx, port } = context();
    await handlePortalRequest(request('portal-choose-certificate'), ctx);
    expect(port.request.mock.calls.map(([command]) => command)).toEqual(['certificates.list']);
  });

  it('refuses a unit certificate chosen for a clerk (it was not offered)', async () => {
    const { ctx } = context({ answer: { id: 'p', approve: true, certificateId: 'cert-2' } });
    const error = await rejection(handlePortalRequest(request('portal-choose-certificate'), ctx));
    expect(error.code).toBe('ERR_CERTIFICATE_NOT_FOUND');
  });

  it('gives ERR_CERTIFICATE_NOT_FOUND for an id that is not in the list', async () => {
    const { ctx } = context({ answer: { id: 'p', approve: true, certificateId: 'cert-9' } });
    const error = await rejection(handlePortalRequest(request('portal-choose-certificate'), ctx));
    expect(error.code).toBe('ERR_CERTIFICATE_NOT_FOUND');
  });

  it('gives ERR_CERTIFICATE_NOT_FOUND when the clerk chose no certificate', async () => {
    const { ctx } = context({ answer: { id: 'p', approve: true } });
    const error = await rejection(handlePortalRequest(request('portal-choose-certificate'), ctx));
    expect(error.code).toBe('ERR_CERTIFICATE_NOT_FOUND');
  });

  it('gives ERR_CERTIFICATE_NOT_FOUND without a prompt when no token holds a certificate', async () => {
    const { ctx, askClerk } = context({ list: [] });
    const error = await rejection(handlePortalRequest(request('portal-choose-certificate'), ctx));
    expect(error.code).toBe('ERR_CERTIFICATE_NOT_FOUND');
    expect(askClerk).not.toHaveBeenCalled();
  });
});

describe('handlePortalRequest: the purpose the prompt shows', () => {
  it('passes a known purpose on to the prompt, for certificates and NHI cards', async () => {
    const { ctx, askClerk } = context();
    await handlePortalRequest(request('portal-authenticate', { nonce: NONCE, purpose: 'register' }), ctx);
    expect(askClerk).toHaveBeenLastCalledWith(
      expect.objectContaining({ kind: 'authenticate', purpose: 'register' }),
    );
    await handlePortalRequest(request('portal-nhi-authenticate', { nonce: NONCE, purpose: 'cancel' }), ctx);
    expect(askClerk).toHaveBeenLastCalledWith(
      expect.objectContaining({ kind: 'nhi-authenticate', purpose: 'cancel' }),
    );
  });

  it('refuses a purpose outside the list before any prompt', async () => {
    const { ctx, askClerk } = context();
    await expect(
      handlePortalRequest(request('portal-authenticate', { nonce: NONCE, purpose: 'wire-money' }), ctx),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    expect(askClerk).not.toHaveBeenCalled();
  });
});

describe('handlePortalRequest: the certificates each task offers', () => {
  const CITIZEN = certificate('citizen');
  const COMPANY = certificate('company', {
    family: 'MOEACA',
    subject: { commonName: 'Co', ubn: '12345678' },
  });
  const XCA = certificate('association', { family: 'XCA', subject: { commonName: 'Assoc' } });
  const NO_KEY = certificate('no-key', { family: 'MOEACA', hasPrivateKey: false });
  const ENCRYPTION_ONLY = certificate('encryption', { family: 'GCA', keyUsage: ['keyEncipherment'] });
  const ALL = [CITIZEN, COMPANY, XCA, NO_KEY, ENCRYPTION_ONLY];
  const offered = async (purpose: string | undefined) => {
    const { ctx, askClerk } = context({ list: ALL });
    await handlePortalRequest(
      request('portal-authenticate', { nonce: NONCE, ...(purpose ? { purpose } : {}) }),
      ctx,
    );
    return askClerk.mock.calls[0]![0];
  };

  it.each(['unit-login', 'register', 'cancel'])(
    '%s offers the unit certificates with a signing key, never a citizen certificate',
    async (purpose) => {
      const prompt = await offered(purpose);
      expect(prompt.certificates!.map((c) => c.id)).toEqual(['company', 'association']);
      expect(prompt.task).toMatch(/^unit-/);
    },
  );

  it('clerk-login offers the citizen certificate only', async () => {
    const prompt = await offered('clerk-login');
    expect(prompt.certificates!.map((c) => c.id)).toEqual(['citizen']);
    expect(prompt.task).toBe('clerk-login');
  });

  it('without a purpose offers every login certificate with a signing key', async () => {
    const prompt = await offered(undefined);
    expect(prompt.certificates!.map((c) => c.id)).toEqual(['citizen', 'company', 'association']);
  });

  it('unit login with only a citizen certificate gives ERR_CERTIFICATE_NOT_FOUND and no prompt', async () => {
    const { ctx, askClerk } = context({ list: [CITIZEN, NO_KEY] });
    const error = await rejection(
      handlePortalRequest(request('portal-authenticate', { nonce: NONCE, purpose: 'unit-login' }), ctx),
    );
    expect(error.code).toBe('ERR_CERTIFICATE_NOT_FOUND');
    expect(askClerk).not.toHaveBeenCalled();
  });

  it('refuses a certificate login for setting the password (that takes the NHI card)', async () => {
    const { ctx, askClerk } = context();
    await expect(
      handlePortalRequest(request('portal-authenticate', { nonce: NONCE, purpose: 'set-password' }), ctx),
    ).rejects.toMatchObject({ code: 'ERR_BAD_REQUEST' });
    expect(askClerk).not.toHaveBeenCalled();
  });
});
