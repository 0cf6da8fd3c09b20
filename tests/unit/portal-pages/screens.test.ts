// @vitest-environment jsdom
/// <reference lib="dom" />
/**
 * The portal screens rendered in jsdom with a fake portal context: validation messages next to the
 * fields (aria-invalid, aria-describedby), a refusal placed at its field, the registration result,
 * and the clerk list with its revoke-and-confirm step. Texts are shown as their keys here.
 */
import { h, render, type VNode } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PortalContext } from '../../../extension/pages/portal/context.ts';

vi.mock('webextension-polyfill', () => ({
  default: {
    i18n: { getUILanguage: () => 'zh-TW', getMessage: (key: string) => key },
    storage: { local: { get: () => Promise.resolve({}) } },
  },
}));

const { PortalError } = await import('../../../shared/portal/errors.ts');
const { CardBridgeError } = await import('../../../shared/protocol/cardBridgeError.ts');
/**
 * The screens are .tsx, which the root tsconfig (that type-checks tests/) does not compile: they are
 * loaded by a path tsc does not follow, and typed here.
 */
type Screen = (props: { ctx: PortalContext }) => VNode | null;
const SCREENS = '../../../extension/pages/portal/';
const { Register } = (await import(`${SCREENS}Register.tsx`)) as { Register: Screen };
const { Clerks } = (await import(`${SCREENS}Clerks.tsx`)) as { Clerks: Screen };

const NONCE = 'A'.repeat(43) + '=';
let root: HTMLElement;

function fakeContext(api: Partial<PortalContext['api']>): PortalContext {
  return {
    api: { nonce: () => Promise.resolve({ nonce: NONCE, expiresAt: '' }), ...api } as PortalContext['api'],
    portal: 'https://portal.test',
    session: undefined,
    steps: {
      nonce: () => Promise.resolve({ nonce: NONCE }),
      authenticate: vi.fn(),
      nhiAuthenticate: () => Promise.resolve({ cardNumber: '000012345678', response: 'A'.repeat(22) + '==' }),
    },
    chooseCertificate: vi.fn(),
    navigate: vi.fn(),
    loggedIn: vi.fn(),
    loggedOut: vi.fn(),
    sessionLost: vi.fn(),
  };
}

const $ = <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector);

async function click(selector: string) {
  await act(() => {
    $(selector)!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  });
}

async function type(id: string, value: string) {
  await act(() => {
    const input = $<HTMLInputElement>(`#${id}`)!;
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function settle() {
  for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0)));
}

beforeEach(() => {
  root = document.createElement('main');
  document.body.append(root);
  vi.stubGlobal('requestAnimationFrame', (f: () => void) => setTimeout(f, 0));
});
afterEach(() => {
  render(null, root);
  root.remove();
  vi.unstubAllGlobals();
});

describe('Register screen', () => {
  it('validates before sending, with the messages tied to the fields', async () => {
    const register = vi.fn();
    await act(() => render(h(Register, { ctx: fakeContext({ register }) }), root));
    expect($('[data-screen="register"] h1')).not.toBeNull();
    await click('[data-action="nhi-card"]');
    expect($('[data-action="nhi-card"]')!.getAttribute('aria-pressed')).toBe('true');
    for (const id of ['unit-code', 'password', 'email']) expect($(`label[for="${id}"]`), id).not.toBeNull();
    await type('password', '123');
    await click('[data-action="register"]');
    await settle();
    expect(register).not.toHaveBeenCalled();
    const unitCode = $('#unit-code')!;
    expect(unitCode.getAttribute('aria-invalid')).toBe('true');
    expect(unitCode.getAttribute('aria-describedby')).toContain('unit-code-error');
    expect($('#unit-code-error')!.getAttribute('data-error')).toBe('ERR_PORTAL_UNIT_CODE_REQUIRED');
    expect($('#password-error')!.textContent).toBe('portal_passwordLength');
    expect($('#email')!.getAttribute('aria-invalid')).toBe('false');
    expect($('[role="alert"]')!.textContent).toBe('portal_fixFields');
  });

  it('shows a refusal next to the field it names', async () => {
    const register = vi.fn(() =>
      Promise.reject(new PortalError('ERR_PORTAL_UNIT_UNKNOWN', { field: 'unitCode' })),
    );
    await act(() => render(h(Register, { ctx: fakeContext({ register }) }), root));
    await click('[data-action="nhi-card"]');
    await type('unit-code', '099999999');
    await type('password', 'secret1');
    await click('[data-action="register"]');
    await settle();
    expect(register).toHaveBeenCalledOnce();
    const error = $('#unit-code-error')!;
    expect(error.getAttribute('data-error')).toBe('ERR_PORTAL_UNIT_UNKNOWN');
    expect(error.textContent).toContain('健保署');
    expect(error.getAttribute('role')).toBe('alert');
    expect($('#unit-code')!.getAttribute('aria-invalid')).toBe('true');
  });

  it('says where to apply for a unit certificate: on the page, and beside the refusal when there is none', async () => {
    const ctx = fakeContext({ register: vi.fn() });
    ctx.steps.authenticate = vi.fn(() =>
      Promise.reject(
        new CardBridgeError('ERR_CERTIFICATE_NOT_FOUND', 'no certificate fit for unit-register'),
      ),
    );
    await act(() => render(h(Register, { ctx }), root));
    const onPage = $('[data-where-to-apply]')!;
    expect(onPage.hasAttribute('open')).toBe(false);
    expect(
      Array.from(root.querySelectorAll<HTMLElement>('[data-where-to-apply] [data-authority]'), (e) =>
        e.getAttribute('data-authority'),
      ),
    ).toEqual(['MOEACA', 'GCA', 'XCA']);
    await click('[data-action="register"]');
    await settle();
    const alert = $('[role="alert"][data-error="ERR_CERTIFICATE_NOT_FOUND"]')!;
    expect(alert).not.toBeNull();
    const beside = alert.querySelector('[data-where-to-apply]')!;
    expect(beside.hasAttribute('open')).toBe(true);
    expect(beside.querySelector('a[href="https://moeaca.nat.gov.tw"]')).not.toBeNull();
    expect(beside.textContent).toContain('經濟部工商憑證管理中心');
  });

  it('shows the approved result with the unit name at once', async () => {
    const register = vi.fn(() =>
      Promise.resolve({
        unit: { code: '012345678', name: 'unit-name' },
        registration: {
          id: 'r1',
          method: 'nhi-card' as const,
          credential: '****5678',
          contactEmail: 'hr@example.tw',
          status: 'active' as const,
          createdAt: '2025-06-01T00:00:00Z',
        },
      }),
    );
    await act(() => render(h(Register, { ctx: fakeContext({ register }) }), root));
    await click('[data-action="nhi-card"]');
    await type('unit-code', '012345678');
    await type('password', 'secret1');
    await click('[data-action="register"]');
    await settle();
    expect(register).toHaveBeenCalledWith({
      proof: {
        kind: 'nhi-card',
        nonce: NONCE,
        cardNumber: '000012345678',
        response: 'A'.repeat(22) + '==',
        password: 'secret1',
      },
      unitCode: '012345678',
    });
    expect($('[data-result="approved"]')).not.toBeNull();
  });
});

describe('Clerks screen', () => {
  const clerks = [
    {
      id: 'c1',
      kind: 'nhi-card',
      displayName: 'A',
      credential: '****5678',
      idLast4: '6789',
      status: 'active',
      createdAt: '2025-01-01',
    },
    {
      id: 'c2',
      kind: 'certificate',
      displayName: 'B',
      credential: 'serial',
      status: 'revoked',
      createdAt: '2025-01-01',
      revokedAt: '2025-02-01',
    },
  ];

  it('lists clerks with their status and revokes only after the confirm step', async () => {
    const list = vi.fn(() => Promise.resolve({ clerks, limit: 5 }));
    const revokeClerk = vi.fn(() => Promise.resolve({ clerk: { ...clerks[0], status: 'revoked' } }));
    await act(() => render(h(Clerks, { ctx: fakeContext({ clerks: list, revokeClerk } as never) }), root));
    await settle();
    expect($('[data-clerk="c1"]')!.getAttribute('data-status')).toBe('active');
    expect($('[data-clerk="c2"]')!.getAttribute('data-status')).toBe('revoked');
    expect($('[data-clerk="c2"] [data-action="revoke"]')).toBeNull();
    expect($('[data-limit]')!.getAttribute('data-limit')).toBe('5');
    await click('[data-clerk="c1"] [data-action="revoke"]');
    expect(revokeClerk).not.toHaveBeenCalled();
    await click('[data-clerk="c1"] [data-action="confirm"]');
    await settle();
    expect(revokeClerk).toHaveBeenCalledWith('c1');
    expect(list).toHaveBeenCalledTimes(2);
  });

  it('checks the NHI card data of a new clerk before sending', async () => {
    const addClerk = vi.fn();
    const ctx = fakeContext({ clerks: () => Promise.resolve({ clerks: [], limit: 5 }), addClerk });
    await act(() => render(h(Clerks, { ctx }), root));
    await settle();
    await click('[data-action="nhi-card"]');
    await type('card-number', '1234');
    await type('id-number', 'A123456788');
    await click('[data-action="add-clerk"]');
    await settle();
    expect(addClerk).not.toHaveBeenCalled();
    expect($('#card-number-error')!.getAttribute('data-error')).toBe('ERR_PORTAL_INVALID_CARD_NUMBER');
    expect($('#id-number-error')!.textContent).toBe('portal_idNumberChecksum');
    expect($('#name-error')!.textContent).toBe('portal_nameRequired');
    expect($('#name')!.getAttribute('aria-describedby')).toBe('name-error');
    expect(document.activeElement?.id).toBe('card-number');
  });
});
