// @vitest-environment jsdom
/// <reference lib="dom" />
/**
 * The prompt page (extension/pages/prompt/main.tsx) rendered in jsdom with the real English
 * catalogue: the certificates it offers follow the task, the title and button say the task, and
 * reading the NHI card asks consent for this time only unless the clerk ticks "always".
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PromptView } from '../../../extension/lib/promptProtocol.ts';
import { NhiBasicDataSchema } from '../../../shared/protocol/messages.ts';
import { listedCertificate } from './listedCertificate.ts';
import { loadPromptPage } from './promptPageLoader.ts';

const en = JSON.parse(
  readFileSync(path.resolve('extension/public/_locales/en/messages.json'), 'utf8'),
) as Record<string, { message: string }>;

let view: PromptView;
const sent: Array<Record<string, unknown>> = [];

vi.mock('webextension-polyfill', () => ({
  default: {
    i18n: { getUILanguage: () => 'en', getMessage: (key: string) => en[key]?.message ?? '' },
    storage: { local: { get: () => Promise.resolve({}) } },
    runtime: {
      sendMessage: (message: Record<string, unknown>) => {
        sent.push(message);
        return Promise.resolve(
          message.command === 'prompt-get'
            ? { ok: true, result: view }
            : { ok: true, result: { done: true } },
        );
      },
    },
  },
}));

const listed = listedCertificate;

const ORIGIN = 'https://portal.example.tw';
const base = { id: 'p1', origin: ORIGIN, expiresAt: Date.now() + 60_000 };

/** Renders the prompt page for `shown` (a fresh module: the page renders itself on import). */
async function renderPrompt(shown: PromptView) {
  view = shown;
  await loadPromptPage(shown.id);
  await vi.waitFor(() => expect(document.querySelector('form')).not.toBeNull());
}

const $ = <T extends Element = HTMLElement>(selector: string) => document.querySelector<T>(selector);
const offeredIds = () =>
  Array.from(document.querySelectorAll<HTMLInputElement>('input[name="certificate"]'), (i) => i.value);

async function approve() {
  await act(async () => {
    $('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await Promise.resolve();
  });
  await vi.waitFor(() => expect(sent.some((m) => m.command === 'prompt-answer')).toBe(true));
  return sent.find((m) => m.command === 'prompt-answer')!.answer as Record<string, unknown>;
}

beforeEach(() => {
  sent.length = 0;
  vi.stubGlobal('close', vi.fn());
});
afterEach(() => vi.unstubAllGlobals());

describe('prompt page: certificates follow the task', () => {
  const cards = [listed('citizen', 'MOICA'), listed('company', 'MOEACA'), listed('agency', 'GCA')];

  it('unit login offers only the unit certificates and never pre-selects the citizen certificate', async () => {
    // Even a view holding the citizen certificate and naming it as remembered shows only unit ones.
    await renderPrompt({
      ...base,
      kind: 'authenticate',
      purpose: 'unit-login',
      task: 'unit-login',
      certificates: cards,
      rememberedCertificateId: 'citizen',
    });
    expect(offeredIds()).toEqual(['company', 'agency']);
    expect($<HTMLInputElement>('input[name="certificate"]:checked')?.value).toBe('company');
    expect($('[data-title]')?.textContent).toBe('Log in');
    expect($('[data-approve]')?.textContent).toBe('Log in');
  });

  it("a clerk's login offers the citizen certificate, pre-selecting what was used for it", async () => {
    await renderPrompt({
      ...base,
      kind: 'authenticate',
      purpose: 'clerk-login',
      task: 'clerk-login',
      certificates: cards,
      rememberedCertificateId: 'citizen',
    });
    expect(offeredIds()).toEqual(['citizen']);
    expect($<HTMLInputElement>('input[name="certificate"]:checked')?.value).toBe('citizen');
  });

  it.each([
    ['register', 'Register'],
    ['set-password', 'Set the password'],
    ['cancel', 'Cancel the registration'],
  ] as const)('the %s prompt says "%s" in its title and its button', async (purpose, words) => {
    await renderPrompt({
      ...base,
      kind: purpose === 'set-password' ? 'nhi-authenticate' : 'authenticate',
      purpose,
      certificates: purpose === 'set-password' ? [] : [cards[1]!],
    });
    expect($('[data-title]')?.textContent).toBe(words);
    expect($('[data-approve]')?.textContent).toBe(words);
  });

  it('a page signature says "Sign the filing" and offers the citizen certificate', async () => {
    await renderPrompt({
      ...base,
      kind: 'sign',
      task: 'sign-filing',
      certificates: cards,
      digestHex: 'ab',
      hashFunction: 'SHA-256',
    });
    expect($('[data-title]')?.textContent).toBe('Sign the filing');
    expect($('[data-approve]')?.textContent).toBe('Sign the filing');
    expect(offeredIds()).toEqual(['citizen']);
  });
});

describe('prompt page: reading the NHI card is for this time only by default', () => {
  beforeEach(() => renderPrompt({ ...base, kind: 'read-nhi-card', certificates: [] }));

  it('leaves "always allow this site" unticked and answers remember: false', async () => {
    expect($<HTMLInputElement>('#remember')!.checked).toBe(false);
    expect($('[data-consent]')?.textContent).toContain('this time only');
    expect(await approve()).toMatchObject({ id: 'p1', approve: true, remember: false });
  });

  it('answers remember: true only when the clerk ticks "always allow this site"', async () => {
    await act(() => {
      $<HTMLInputElement>('#remember')!.click();
    });
    expect(await approve()).toMatchObject({ approve: true, remember: true });
  });

  it('names every field the page receives', () => {
    const words: Record<string, string> = {
      cardNumber: 'card number',
      name: 'name',
      idNumber: 'ID number',
      birthDate: 'birth date',
      sex: 'sex',
      issueDate: 'issue date',
    };
    const text = $('form')!.textContent ?? '';
    expect(text).toContain(ORIGIN);
    // Every field of the card data the page gets (the reader's name is not card data).
    for (const field of Object.keys(NhiBasicDataSchema.properties).filter(
      (f) => f !== 'reader' && f !== 'idNumberValid',
    )) {
      expect(words[field], `a word for ${field}`).toBeDefined();
      expect(text).toContain(words[field]);
    }
  });
});

describe('prompt page: signing a filing', () => {
  const filing = {
    kinds: ['enrol', 'withdraw'] as const,
    filings: 7,
    persons: 6,
    names: ['王*明', 'B2222*****'],
    more: 4,
  };

  it('says 「簽署申報」 and what is signed, with masked names only', async () => {
    await renderPrompt({
      ...base,
      kind: 'sign',
      purpose: 'sign-submission',
      task: 'sign-filing',
      certificates: [listed('citizen', 'MOICA')],
      digestHex: 'ab'.repeat(32),
      hashFunction: 'SHA-256',
      filing: { ...filing, kinds: [...filing.kinds] },
    });
    expect($('[data-title]')!.textContent).toBe(en.promptTaskTitle_sign_submission!.message);
    expect($('[data-approve]')!.textContent).toBe(en.promptTaskApprove_sign_submission!.message);
    expect($('[data-filing-kinds]')!.textContent).toContain('Enrolment, Withdrawal');
    expect($('[data-filing-count]')!.textContent).toContain('7 filings for 6 persons');
    expect($('[data-filing-names]')!.textContent).toContain('王*明, B2222*****');
    expect($('[data-filing-names]')!.textContent).toContain('and 4 more');
    expect($('#pin')).not.toBeNull();
  });

  it('an NHI-card clerk only agrees: no certificate, no PIN', async () => {
    await renderPrompt({
      ...base,
      kind: 'nhi-authenticate',
      purpose: 'sign-submission',
      certificates: [],
      filing: { ...filing, kinds: ['enrol'] },
    });
    expect($('[data-filing-kinds]')!.textContent).toContain('Enrolment');
    expect($('#pin')).toBeNull();
    expect($('label.certificate')).toBeNull();
  });
});
