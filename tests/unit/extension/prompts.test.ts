/**
 * The prompt manager (extension/background/prompts.ts) with a stand-in for the browser's windows and
 * storage: timeout, cancel, window closed, wrong PIN kept open, certificate remembered per origin.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

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
async function open(execute: (answer: { certificateId?: string; pin?: string }) => Promise<unknown>) {
  const result = askClerk({ kind: 'authenticate', origin: ORIGIN, certificates: [], execute });
  const settled = result.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: error as InstanceType<typeof CardBridgeError> }),
  );
  await vi.waitFor(() => expect(windows.create).toHaveBeenCalled());
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
    const { id, settled } = await open(execute);
    const wrong = await answerPrompt({ id, approve: true, certificateId: 'c1', pin: '0000' });
    expect(wrong).toEqual({ done: false, code: 'ERR_PIN_INCORRECT', details: { retriesLeft: 1 } });
    expect(promptView(id)).toBeDefined();
    const right = await answerPrompt({ id, approve: true, certificateId: 'c1', pin: '1234' });
    expect(right).toEqual({ done: true });
    expect(await settled).toEqual({ ok: true, value: 'token' });
    // The chosen certificate is remembered for this origin — and no PIN is stored anywhere.
    expect(storage.rememberedCertificates).toEqual({ [ORIGIN]: 'c1' });
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
});
