/**
 * The prompt window: every card operation a page asks for is shown to the clerk here first, with the
 * requesting origin. The PIN is typed only in this window and goes from it to the host, nowhere else:
 * it is never stored, never logged, never sent to a page. Two minutes without an answer is a timeout;
 * closing the window is a cancel.
 */
import browser from 'webextension-polyfill';
import type { ListedCertificateResult } from '../../shared/protocol/messages.ts';
import type { PromptAnswer, PromptKind, PromptOutcome, PromptView } from '../lib/promptProtocol.ts';
import type { PortalPurpose } from '../lib/promptProtocol.ts';
import type { FilingSummary } from '../lib/filingSummary.ts';
import { CardBridgeError } from '../../shared/protocol/cardBridgeError.ts';
import { certificatesFor, type CertificateTask } from '../../shared/pki/taskCertificates.ts';

export const PROMPT_TIMEOUT_MS = 120_000;
/** PIN errors the clerk can fix in the same window (try again). */
const RETRYABLE = new Set(['ERR_PIN_INCORRECT']);
/**
 * Errors that end the operation but that the clerk must read: the page is answered at once, and the
 * window stays open saying so until the clerk closes it (a locked PIN closing the window silently
 * would leave the clerk trying again and again).
 */
const SHOWN_UNTIL_CLOSED = new Set(['ERR_PIN_LOCKED']);

interface OpenPrompt {
  view: PromptView;
  windowId?: number;
  /** Runs the operation with the clerk's answer; throws CardBridgeError on failure. */
  execute: (answer: Extract<PromptAnswer, { approve: true }>) => Promise<unknown>;
  resolve: (result: unknown) => void;
  reject: (error: CardBridgeError) => void;
  timer: ReturnType<typeof setTimeout>;
  busy: boolean;
}

export interface PromptRequest {
  kind: PromptKind;
  origin: string;
  certificates?: ListedCertificateResult[];
  documentName?: string;
  digestHex?: string;
  hashFunction?: string;
  purpose?: PortalPurpose;
  /** What the certificate is for: only certificates fit for it are offered, and remembered for it. */
  task?: CertificateTask;
  /** A filing submission being signed: shown in plain words. */
  filing?: FilingSummary;
  execute: OpenPrompt['execute'];
}

const prompts = new Map<string, OpenPrompt>();

/**
 * The certificate last used per origin AND task: the unit's login must never pre-select the clerk's
 * citizen certificate used on the same site. An older entry (one id per origin) is not a record and
 * is ignored, so it cannot pre-select across tasks.
 */
type RememberedCertificates = Record<string, Partial<Record<CertificateTask, string>> | string>;

async function loadRemembered(): Promise<RememberedCertificates> {
  const { rememberedCertificates } = (await browser.storage.local.get('rememberedCertificates')) as {
    rememberedCertificates?: RememberedCertificates;
  };
  return rememberedCertificates ?? {};
}

async function remembered(origin: string, task: CertificateTask): Promise<string | undefined> {
  const byTask = (await loadRemembered())[origin];
  return typeof byTask === 'object' ? byTask[task] : undefined;
}

async function remember(origin: string, task: CertificateTask, certificateId: string): Promise<void> {
  const all = await loadRemembered();
  const byTask = typeof all[origin] === 'object' ? all[origin] : {};
  await browser.storage.local.set({
    rememberedCertificates: { ...all, [origin]: { ...byTask, [task]: certificateId } },
  });
}

function finish(
  id: string,
  outcome: { result: unknown } | { error: CardBridgeError },
  closeWindow = true,
): void {
  const prompt = prompts.get(id);
  if (!prompt) return;
  prompts.delete(id);
  clearTimeout(prompt.timer);
  if ('result' in outcome) prompt.resolve(outcome.result);
  else prompt.reject(outcome.error);
  if (closeWindow && prompt.windowId !== undefined)
    void browser.windows.remove(prompt.windowId).catch(() => undefined);
}

/** Opens the prompt and resolves with the operation's result once the clerk approved it. */
export async function askClerk(request: PromptRequest): Promise<unknown> {
  const id = crypto.randomUUID();
  const view: PromptView = {
    id,
    kind: request.kind,
    origin: request.origin,
    certificates: request.task
      ? certificatesFor(request.task, request.certificates ?? [])
      : (request.certificates ?? []),
    expiresAt: Date.now() + PROMPT_TIMEOUT_MS,
    ...(request.documentName ? { documentName: request.documentName } : {}),
    ...(request.purpose ? { purpose: request.purpose } : {}),
    ...(request.task ? { task: request.task } : {}),
    ...(request.filing ? { filing: request.filing } : {}),
    ...(request.digestHex ? { digestHex: request.digestHex, hashFunction: request.hashFunction } : {}),
  };
  const last = request.task ? await remembered(request.origin, request.task) : undefined;
  if (last && view.certificates.some((c) => c.id === last)) view.rememberedCertificateId = last;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () =>
        finish(id, { error: new CardBridgeError('ERR_TIMEOUT', 'no answer in the prompt within 2 minutes') }),
      PROMPT_TIMEOUT_MS,
    );
    prompts.set(id, { view, execute: request.execute, resolve, reject, timer, busy: false });
    void browser.windows
      .create({
        url: browser.runtime.getURL(`extension/pages/prompt/index.html#${id}`),
        type: 'popup',
        width: 520,
        height: 680,
        focused: true,
      })
      .then(
        (created) => {
          const prompt = prompts.get(id);
          if (prompt) prompt.windowId = created.id;
          else if (created.id !== undefined) void browser.windows.remove(created.id);
        },
        () =>
          finish(id, { error: new CardBridgeError('ERR_INTERNAL', 'the prompt window could not be opened') }),
      );
  });
}

export function promptView(id: string): PromptView | undefined {
  return prompts.get(id)?.view;
}

/** The clerk answered in the prompt window. */
export async function answerPrompt(answer: PromptAnswer): Promise<PromptOutcome> {
  const prompt = prompts.get(answer.id);
  if (!prompt) return { done: false, code: 'ERR_TIMEOUT' };
  if (!answer.approve) {
    finish(answer.id, { error: new CardBridgeError('ERR_USER_CANCELLED', 'the clerk cancelled') });
    return { done: true };
  }
  if (prompt.busy) return { done: false, code: 'ERR_ACTION_PENDING' };
  const { certificateId } = answer;
  if (prompt.view.task && certificateId && !prompt.view.certificates.some((c) => c.id === certificateId)) {
    // Only an offered certificate may be used: another one is not fit for this task.
    finish(answer.id, {
      error: new CardBridgeError(
        'ERR_CERTIFICATE_NOT_FOUND',
        'that certificate is not offered for this task',
      ),
    });
    return { done: true };
  }
  prompt.busy = true;
  try {
    const result = await prompt.execute(answer);
    // The certificate used is pre-selected next time for the same origin and task (`remember` is
    // the clerk's choice for a consent, not for this).
    if (certificateId && prompt.view.task)
      await remember(prompt.view.origin, prompt.view.task, certificateId);
    finish(answer.id, { result });
    return { done: true };
  } catch (error) {
    const failure =
      error instanceof CardBridgeError ? error : new CardBridgeError('ERR_INTERNAL', String(error));
    if (RETRYABLE.has(failure.code)) {
      // Wrong PIN: the window stays open and shows the tries left.
      return { done: false, code: failure.code, ...(failure.details ? { details: failure.details } : {}) };
    }
    if (SHOWN_UNTIL_CLOSED.has(failure.code)) {
      finish(answer.id, { error: failure }, false);
      return { done: false, ended: true, code: failure.code };
    }
    finish(answer.id, { error: failure });
    return { done: true };
  } finally {
    prompt.busy = false;
  }
}

/** The clerk closed the window: that is a cancel. */
export function onWindowClosed(windowId: number): void {
  for (const [id, prompt] of prompts) {
    if (prompt.windowId === windowId)
      finish(id, { error: new CardBridgeError('ERR_USER_CANCELLED', 'prompt closed') });
  }
}
