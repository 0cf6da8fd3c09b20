/**
 * The prompt manager (extension/background/prompts.ts) with a stand-in for the browser's windows and
 * storage: timeout, cancel, window closed, wrong PIN kept open, certificates offered per task and
 * remembered per origin and task.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PromptRequest } from '../../../extension/background/prompts.ts';
import { listedCertificate } from './listedCertificate.ts';

const storage: Record<string, unknown> = {};
const windows = { create: vi.fn(), remove: vi.fn() };

vi.mock('webextension-polyfill', () => ({
  default: {
    runtime: { getURL: (p: string) => `chrome-extension://test/${p}` },
    windows: {
      create: (...args: unknown[]) => windows.create(...args) as Promise<{ id: number }>,
      remove: (...args: unknown[]) => windows.remove(...args) as Promise<void>,
    },
    storage: {
      local: {
        get: (key: string) => Promise.resolve(key in storage ? { [key]: storage[key] } : {}),
        set: (values: Record<string, unknown>) => Promise.resolve(void Object.assign(storage, values)),
      },
    },
  },
}));

const { askClerk, answerPrompt, onWindowClosed, promptView, PROMPT_TIMEOUT_MS } =
  await import('../../../extension/background/prompts.ts');
const { CardBridgeError } = await import('../../../shared/protocol/cardBridgeError.ts');

const listed = listedCertificate;
const CITIZEN = listed('citizen', 'MOICA');
const COMPANY = listed('company', 'MOEACA');
const AGENCY = listed('agency', 'GCA');
const CERTIFICATE_ONLY = listed('no-key', 'MOEACA', { hasPrivateKey: false });
const ON_THE_CARDS = [CITIZEN, COMPANY, AGENCY, CERTIFICATE_ONLY];

const ORIGIN = 'https://eservice.nhi.gov.tw';
let nextWindow = 1;

beforeEach(() => {
  for (const key of Object.keys(storage)) delete storage[key];
  windows.create.mockImplementation(() => Promise.resolve({ id: nextWindow++ }));
  windows.remove.mockImplementation(() => Promise.resolve());
});
afterEach(() => {
  vi.useRealTimers();
  windows.create.mockReset();
  windows.remove.mockReset();
});

/** Opens a prompt and returns its id (read from the URL the window was opened with). */
async function open(
  execute: (answer: { certificateId?: string; pin?: string }) => Promise<unknown>,
  extra: Partial<PromptRequest> = {},
) {
  const opened = windows.create.mock.calls.length;
  const result = askClerk({ kind: 'authenticate', origin: ORIGIN, certificates: [], execute, ...extra });
  const settled = result.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: error as InstanceType<typeof CardBridgeError> }),
  );
  await vi.waitFor(() => expect(windows.create).toHaveBeenCalledTimes(opened + 1));
  const url = (windows.create.mock.calls.at(-1)![0] as { url: string }).url;
  return { id: url.slice(url.indexOf('#') + 1), settled };
}

describe('prompt manager', () => {
  it('shows the origin and times out after two minutes with ERR_TIMEOUT, closing its window', async () => {
    vi.useFakeTimers();
    const { id, settled } = await open(() => Promise.resolve('token'));
    expect(promptView(id)).toMatchObject({ origin: ORIGIN, kind: 'authenticate' });
    await vi.advanceTimersByTimeAsync(PROMPT_TIMEOUT_MS);
    const outcome = await settled;
    expect(outcome).toMatchObject({ ok: false });
    expect((outcome as { error: { code: string } }).error.code).toBe('ERR_TIMEOUT');
    expect(windows.remove).toHaveBeenCalled();
    expect(promptView(id)).toBeUndefined();
  });

  it('cancel and closing the window both give ERR_USER_CANCELLED', async () => {
    const first = await open(() => Promise.resolve('token'));
    await answerPrompt({ id: first.id, approve: false });
    expect(((await first.settled) as { error: { code: string } }).error.code).toBe('ERR_USER_CANCELLED');

    const second = await open(() => Promise.resolve('token'));
    await vi.waitFor(() => expect(windows.create).toHaveBeenCalledTimes(2));
    // The window id the prompt got is the last one created.
    onWindowClosed(nextWindow - 1);
    expect(((await second.settled) as { error: { code: string } }).error.code).toBe('ERR_USER_CANCELLED');
  });

  it('keeps the window open after a wrong PIN, with the details, and finishes on the right one', async () => {
    const execute = vi.fn((answer: { pin?: string }) =>
      answer.pin === '1234'
        ? Promise.resolve('token')
        : Promise.reject(new CardBridgeError('ERR_PIN_INCORRECT', 'wrong', { retriesLeft: 1 })),
    );
    const { id, settled } = await open(execute, { task: 'clerk-login', certificates: [CITIZEN] });
    const wrong = await answerPrompt({ id, approve: true, certificateId: 'citizen', pin: '0000' });
    expect(wrong).toEqual({ done: false, code: 'ERR_PIN_INCORRECT', details: { retriesLeft: 1 } });
    expect(promptView(id)).toBeDefined();
    const right = await answerPrompt({ id, approve: true, certificateId: 'citizen', pin: '1234' });
    expect(right).toEqual({ done: true });
    expect(await settled).toEqual({ ok: true, value: 'token' });
    // The chosen certificate is remembered for this origin and task — and no PIN is stored anywhere.
    expect(storage.rememberedCertificates).toEqual({ [ORIGIN]: { 'clerk-login': 'citizen' } });
    expect(JSON.stringify(storage)).not.toContain('1234');
  });

  it('ends the request with any other error at once', async () => {
    const { id, settled } = await open(() =>
      Promise.reject(new CardBridgeError('ERR_CARD_REMOVED', 'pulled')),
    );
    expect(await answerPrompt({ id, approve: true, certificateId: 'c1', pin: '1234' })).toEqual({
      done: true,
    });
    expect(((await settled) as { error: { code: string } }).error.code).toBe('ERR_CARD_REMOVED');
  });

  it('answers the page at once on a locked PIN, but leaves the window open to say so', async () => {
    const { id, settled } = await open(() => Promise.reject(new CardBridgeError('ERR_PIN_LOCKED', 'locked')));
    const removedBefore = windows.remove.mock.calls.length;
    expect(await answerPrompt({ id, approve: true, certificateId: 'c1', pin: '1234' })).toEqual({
      done: false,
      ended: true,
      code: 'ERR_PIN_LOCKED',
    });
    expect(((await settled) as { error: { code: string } }).error.code).toBe('ERR_PIN_LOCKED');
    expect(windows.remove).toHaveBeenCalledTimes(removedBefore);
    // Over: another answer from the same window runs nothing, and closing it cancels nothing.
    expect(promptView(id)).toBeUndefined();
    onWindowClosed(nextWindow - 1);
    expect(await answerPrompt({ id, approve: true, pin: '1234' })).toEqual({
      done: false,
      code: 'ERR_TIMEOUT',
    });
  });
});

/** Opens a prompt for a task with every certificate on the cards, and answers it with one. */
async function use(task: PromptRequest['task'], certificateId: string) {
  const { id, settled } = await open(() => Promise.resolve('token'), { task, certificates: ON_THE_CARDS });
  const view = promptView(id)!;
  const outcome = await answerPrompt({ id, approve: true, certificateId, pin: '1234' });
  return { view, outcome, settled };
}

describe('prompt manager: the certificate follows the task', () => {
  it('unit login offers the unit certificates with a private key, never the citizen certificate', async () => {
    const { view } = await use('unit-login', 'company');
    expect(view.certificates.map((c) => c.id)).toEqual(['company', 'agency']);
    expect(view.task).toBe('unit-login');
  });

  it("a clerk's task offers the citizen certificate only", async () => {
    for (const task of ['clerk-login', 'clerk-assign', 'sign-filing'] as const) {
      const { view } = await use(task, 'citizen');
      expect(view.certificates.map((c) => c.id)).toEqual(['citizen']);
    }
  });

  it('unit login never pre-selects the citizen certificate the clerk used on the same site', async () => {
    await use('clerk-login', 'citizen');
    expect(storage.rememberedCertificates).toEqual({ [ORIGIN]: { 'clerk-login': 'citizen' } });
    const { view } = await use('unit-login', 'company');
    expect(view.rememberedCertificateId).toBeUndefined();
    expect(view.certificates.map((c) => c.id)).not.toContain('citizen');
  });

  it('remembers per task: each task pre-selects what was used for that task on that origin', async () => {
    await use('clerk-login', 'citizen');
    await use('unit-login', 'agency');
    expect((await use('unit-login', 'agency')).view.rememberedCertificateId).toBe('agency');
    expect((await use('clerk-login', 'citizen')).view.rememberedCertificateId).toBe('citizen');
    // Signing a filing was never done here: nothing is pre-selected for it.
    expect((await use('sign-filing', 'citizen')).view.rememberedCertificateId).toBeUndefined();
    expect(storage.rememberedCertificates).toEqual({
      [ORIGIN]: { 'clerk-login': 'citizen', 'unit-login': 'agency', 'sign-filing': 'citizen' },
    });
  });

  it('ignores an older memory of one certificate per origin (it did not say for which task)', async () => {
    storage.rememberedCertificates = { [ORIGIN]: 'citizen' };
    expect((await use('clerk-login', 'citizen')).view.rememberedCertificateId).toBeUndefined();
  });

  it('refuses a certificate that was not offered for the task, without running the operation', async () => {
    const execute = vi.fn(() => Promise.resolve('token'));
    const { id, settled } = await open(execute, { task: 'unit-login', certificates: ON_THE_CARDS });
    expect(await answerPrompt({ id, approve: true, certificateId: 'citizen', pin: '1234' })).toEqual({
      done: true,
    });
    expect(execute).not.toHaveBeenCalled();
    expect(((await settled) as { error: { code: string } }).error.code).toBe('ERR_CERTIFICATE_NOT_FOUND');
    expect(storage.rememberedCertificates).toBeUndefined();
  });
});
