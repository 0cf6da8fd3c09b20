/**
 * Signing a filing submission for the bundled portal pages: the prompt shows what is signed (kinds,
 * counts, masked names), a certificate clerk's host `sign` gets the SHA-256 of the canonical bytes
 * recomputed in the background (format cms), an NHI-card clerk's card answers the filing challenge
 * bound to the configured portal origin; anything that is not a Submission is refused before any prompt.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { NativePort } from '../../../extension/background/nativePort.ts';
import { handlePortalRequest } from '../../../extension/background/portalRequests.ts';
import type { PromptRequest } from '../../../extension/background/prompts.ts';
import { summarizeSubmission } from '../../../extension/lib/filingSummary.ts';
import type { PortalRequest } from '../../../extension/lib/uiProtocol.ts';
import { canonicalBytes, filingChallengeNonce, submissionHash } from '../../../shared/filings/canonical.ts';
import type { Submission } from '../../../shared/filings/contracts.ts';
import { nhiChallenge } from '../../../shared/nhi/challenge.ts';
import { CardBridgeError } from '../../../shared/protocol/cardBridgeError.ts';
import type { ListedCertificateResult } from '../../../shared/protocol/messages.ts';

const PORTAL = 'https://portal.example.tw';

const SUBMISSION: Submission = {
  format: 'cardbridge-filing-submission',
  version: 1,
  unitCode: '012345678',
  submittedAt: '2026-12-02T06:30:00.000Z',
  filings: [
    {
      kind: 'enrol',
      scheme: 'nhi',
      idNumber: 'A123456789',
      name: '王小明',
      birthDate: '1990-05-17',
      enrolmentDate: '2026-12-01',
      insuredAmount: 29500,
    },
    { kind: 'withdraw', idNumber: 'B222222228', date: '2026-12-01', reason: 'W01' },
  ],
};

const CITIZEN: ListedCertificateResult = {
  id: 'cert-1',
  token: { kind: 'pkcs11', source: '/usr/lib/libHiCOSPKCS11.so', label: 'HiCOS', serial: '0001' },
  certificate: 'MIIBcert',
  family: 'MOICA',
  subject: { commonName: 'Clerk', idLast4: '1234' },
  issuer: 'CN=MOICA',
  notBefore: '2024-01-01T00:00:00.000Z',
  notAfter: '2029-01-01T00:00:00.000Z',
  keyUsage: ['digitalSignature'],
  hasPrivateKey: true,
  pinpad: false,
};
const UNIT_CERT: ListedCertificateResult = { ...CITIZEN, id: 'cert-2', family: 'MOEACA' };

function setup(hostResult: unknown) {
  const port = {
    request: vi.fn((command: string, _args?: Record<string, unknown>) =>
      Promise.resolve(command === 'certificates.list' ? { certificates: [CITIZEN, UNIT_CERT] } : hostResult),
    ),
  };
  const prompts: PromptRequest[] = [];
  const askClerk = vi.fn((request: PromptRequest) => {
    prompts.push(request);
    return request.execute({ id: 'p', approve: true, certificateId: 'cert-1', pin: '123456' });
  });
  const ctx = {
    port: port as unknown as NativePort,
    askClerk,
    portalAddress: () => Promise.resolve(PORTAL),
  };
  return { ctx, port, prompts };
}

const signRequest = (submission: unknown, method: string) =>
  ({ type: 'cardbridge/ui', command: 'portal-sign-submission', submission, method }) as PortalRequest;

describe('signing a filing submission', () => {
  it('summarises what is signed with masked names only', () => {
    expect(summarizeSubmission(SUBMISSION)).toEqual({
      kinds: ['enrol', 'withdraw'],
      filings: 2,
      persons: 2,
      names: ['王*明', 'B2222*****'],
      more: 0,
    });
  });

  it('has a certificate clerk sign a detached CMS over the canonical bytes', async () => {
    const { ctx, port, prompts } = setup({ cms: 'MIIC', algorithm: 'RS256' });
    const result = await handlePortalRequest(signRequest(SUBMISSION, 'certificate'), ctx);
    expect(result).toEqual({ format: 'cms', cms: 'MIIC' });
    const prompt = prompts[0]!;
    expect(prompt).toMatchObject({
      kind: 'sign',
      origin: PORTAL,
      purpose: 'sign-submission',
      task: 'sign-filing',
    });
    expect(prompt.filing?.names).toEqual(['王*明', 'B2222*****']);
    // Only the clerk's own citizen certificate is offered, never the unit's.
    expect(prompt.certificates?.map((c) => c.id)).toEqual(['cert-1']);
    const digest = createHash('sha256').update(canonicalBytes(SUBMISSION)).digest();
    expect(prompt.digestHex).toBe(digest.toString('hex'));
    const signCall = port.request.mock.calls.find(([command]) => command === 'sign');
    expect(signCall?.[1]).toEqual({
      origin: PORTAL,
      certificateId: 'cert-1',
      hash: digest.toString('base64'),
      hashFunction: 'SHA-256',
      format: 'cms',
      pin: '123456',
    });
  });

  it("has an NHI-card clerk's card answer the filing challenge for the portal origin", async () => {
    const answer = { reader: 'r', cardNumber: '000012345678', response: 'AAAAAAAAAAAAAAAAAAAAAA==' };
    const { ctx, port, prompts } = setup(answer);
    const result = await handlePortalRequest(signRequest(SUBMISSION, 'nhi-card'), ctx);
    expect(result).toEqual({ format: 'nhi-card', cardNumber: answer.cardNumber, response: answer.response });
    expect(prompts[0]).toMatchObject({ kind: 'nhi-authenticate', purpose: 'sign-submission' });
    const challenge = await nhiChallenge(PORTAL, filingChallengeNonce(await submissionHash(SUBMISSION)));
    expect(port.request).toHaveBeenCalledWith('nhi.authenticate', {
      challenge: Buffer.from(challenge).toString('base64'),
    });
  });

  it.each([
    ['a submission of another format', { ...SUBMISSION, format: 'other' }, 'certificate'],
    [
      'a filing with an extra field',
      { ...SUBMISSION, filings: [{ ...SUBMISSION.filings[0], x: 1 }] },
      'certificate',
    ],
    ['an unknown method', SUBMISSION, 'password'],
  ])('refuses %s before any prompt', async (_label, submission, method) => {
    const { ctx, prompts } = setup({});
    const error = await handlePortalRequest(signRequest(submission, method), ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CardBridgeError);
    expect((error as CardBridgeError).code).toBe('ERR_BAD_REQUEST');
    expect(prompts).toHaveLength(0);
  });
});
