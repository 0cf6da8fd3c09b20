// @vitest-environment jsdom
/// <reference lib="dom" />
/**
 * The batch upload screen (媒體申報): the file becomes the preview body (size checked first), the
 * report is a table of row, field, kind and message, the whole file can be signed only without
 * errors, and "only the valid rows" signs exactly the preview's valid filings, then shows the receipt.
 */
import { h, render, type VNode } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PortalContext } from '../../../extension/pages/portal/context.ts';
import type { Submission } from '../../../shared/filings/contracts.ts';
import { filingIssueMessage } from '../../../shared/filings/errors.ts';
import type { BatchPreviewReply } from '../../../shared/portal/batchesApi.ts';

vi.mock('webextension-polyfill', () => ({
  default: {
    i18n: { getUILanguage: () => 'zh-TW', getMessage: (key: string) => key },
    storage: { local: { get: () => Promise.resolve({}) } },
  },
}));
const signAndSubmit = vi.fn();
vi.mock('../../../extension/pages/portal/signing.ts', async (original) => ({
  ...(await original<object>()),
  signAndSubmit,
}));

const { batchSubmission, canSignWholeFile, previewBody, toBase64 } =
  await import('../../../extension/pages/portal/batch.ts');
// .tsx is loaded by a path tsc does not follow (the root tsconfig does not compile JSX), typed here.
const SCREENS = '../../../extension/pages/portal/';
const { Batch } = (await import(`${SCREENS}Batch.tsx`)) as {
  Batch: (props: { ctx: PortalContext }) => VNode | null;
};

const WITHDRAW = { kind: 'withdraw', idNumber: 'B222222228', date: '2026-12-01', reason: 'W01' } as const;
const issue = (
  row: number,
  code: 'ERR_FIELD_ID_CHECKSUM' | 'ERR_CHECK_LATE_FILING',
  severity: 'error' | 'warning',
) => ({
  row,
  field: 'idNumber' as const,
  code,
  severity,
  message: {
    'zh-TW': filingIssueMessage(code, 'idNumber', 'zh-TW'),
    en: filingIssueMessage(code, 'idNumber', 'en'),
  },
});
const WITH_ERRORS: BatchPreviewReply = {
  fileName: '異動.csv',
  encoding: 'big5',
  counts: { rows: 3, valid: 2, refused: 1, warned: 1 },
  report: [issue(3, 'ERR_FIELD_ID_CHECKSUM', 'error'), issue(4, 'ERR_CHECK_LATE_FILING', 'warning')],
  filings: [
    { row: 2, filing: WITHDRAW },
    { row: 4, filing: { ...WITHDRAW, idNumber: 'A123456789' } },
  ],
};
const CLEAN: BatchPreviewReply = {
  ...WITH_ERRORS,
  counts: { rows: 2, valid: 2, refused: 0, warned: 0 },
  report: [],
};

/** jsdom's File has no arrayBuffer(); the browser's has, and this is all the page uses. */
const fakeFile = (name: string, bytes: Uint8Array) => ({
  name,
  size: bytes.byteLength,
  arrayBuffer: () => Promise.resolve(bytes.buffer.slice(0) as ArrayBuffer),
});

describe('batch page logic', () => {
  it('encodes a file as base64 and refuses one over 10 MB before sending', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x41, 0x2c, 0x42]);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    const big = new Uint8Array(100_000).fill(0xa4);
    expect(toBase64(big)).toBe(Buffer.from(big).toString('base64'));
    expect(await previewBody(fakeFile('a.csv', bytes))).toEqual({ fileName: 'a.csv', content: '77u/QSxC' });
    const tooBig = { name: 'big.csv', size: 10 * 1024 * 1024 + 1, arrayBuffer: vi.fn() };
    await expect(previewBody(tooBig)).rejects.toMatchObject({ code: 'ERR_PORTAL_BATCH_TOO_LARGE' });
    expect(tooBig.arrayBuffer).not.toHaveBeenCalled();
  });

  it('signs the whole file only without errors, and only the valid filings by choice', () => {
    expect(canSignWholeFile(WITH_ERRORS)).toBe(false);
    expect(batchSubmission('012345678', WITH_ERRORS, 'file')).toBeUndefined();
    const valid = batchSubmission('012345678', WITH_ERRORS, 'valid', new Date('2026-12-02T02:00:00Z'));
    expect(valid).toEqual({
      format: 'cardbridge-filing-submission',
      version: 1,
      unitCode: '012345678',
      submittedAt: '2026-12-02T02:00:00.000Z',
      filings: WITH_ERRORS.filings.map((f) => f.filing),
    });
    expect(canSignWholeFile(CLEAN)).toBe(true);
    expect(batchSubmission('012345678', CLEAN, 'file')?.filings).toHaveLength(2);
    expect(batchSubmission('012345678', { ...CLEAN, filings: [] }, 'valid')).toBeUndefined();
  });
});

describe('Batch screen', () => {
  let root: HTMLElement;
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
  const $ = <T extends Element = HTMLElement>(selector: string) => root.querySelector<T>(selector);
  const settle = async () => {
    for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 0)));
  };
  const click = (selector: string) =>
    act(() => {
      $(selector)!.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });

  function context(previewBatch: PortalContext['api']['previewBatch']): PortalContext {
    return {
      api: { previewBatch } as PortalContext['api'],
      portal: 'https://portal.test',
      session: {
        portal: 'https://portal.test',
        token: 'tok-1234567890abcdef',
        expiresAt: '2026-12-02T03:00:00.000Z',
        role: 'clerk',
        unit: { code: '012345678', name: '測試股份有限公司' },
        subject: { kind: 'certificate', name: '王大明', credential: '****5678' },
      },
      steps: { nonce: vi.fn(), authenticate: vi.fn(), nhiAuthenticate: vi.fn() },
      chooseCertificate: vi.fn(),
      navigate: vi.fn(),
      loggedIn: vi.fn(),
      loggedOut: vi.fn(),
      sessionLost: vi.fn(),
    };
  }

  async function chooseFile(name: string) {
    const input = $<HTMLInputElement>('#batch-file')!;
    const file = fakeFile(name, new Uint8Array([0x41]));
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(() => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
  }

  it('asks for a file first, then shows the report and lets the clerk sign only the valid rows', async () => {
    const previewBatch = vi.fn(() => Promise.resolve(WITH_ERRORS));
    signAndSubmit.mockResolvedValue({
      receiptNo: '1151202-A7K3Q9XM',
      submissionId: '0000000000000000000000000000003',
      receivedAt: '2026-12-02T02:00:05.000Z',
      filingCount: 2,
      contentSha256: 'ab'.repeat(32),
      warnings: [{ seq: 2, field: 'idNumber', code: 'ERR_CHECK_LATE_FILING', severity: 'warning' }],
    });
    await act(() => render(h(Batch, { ctx: context(previewBatch) }), root));
    expect($('label[for="batch-file"]')).not.toBeNull();
    await click('[data-action="check-batch"]');
    await settle();
    expect(previewBatch).not.toHaveBeenCalled();
    expect($('[role="alert"]')!.textContent).toBe('portal_batchChooseFirst');

    await chooseFile('異動.csv');
    await click('[data-action="check-batch"]');
    await settle();
    expect(previewBatch).toHaveBeenCalledWith({ fileName: '異動.csv', content: 'QQ==' });
    const rows = Array.from(
      root.querySelectorAll<HTMLTableRowElement>('[data-batch-report] tbody tr'),
      (tr) => Array.from(tr.cells, (cell) => cell.textContent),
    );
    expect(rows).toEqual([
      [
        '3',
        '身分證號',
        'portal_batchError',
        filingIssueMessage('ERR_FIELD_ID_CHECKSUM', 'idNumber', 'zh-TW'),
      ],
      [
        '4',
        '身分證號',
        'portal_batchWarning',
        filingIssueMessage('ERR_CHECK_LATE_FILING', 'idNumber', 'zh-TW'),
      ],
    ]);
    const wholeFile = $<HTMLInputElement>('input[name="scope"][value="file"]')!;
    expect(wholeFile.disabled).toBe(true);
    expect($<HTMLInputElement>('input[name="scope"][value="valid"]')!.checked).toBe(true);

    await click('[data-action="sign-batch"]');
    await settle();
    expect(signAndSubmit).toHaveBeenCalledTimes(1);
    const [, submission, method] = signAndSubmit.mock.calls[0] as [unknown, Submission, string];
    expect(method).toBe('certificate');
    expect(submission.filings).toEqual(WITH_ERRORS.filings.map((f) => f.filing));
    expect($('[data-receipt-no]')!.textContent).toBe('1151202-A7K3Q9XM');
    // The warning of the 2nd filing is shown at its file row (4).
    expect($('[data-receipt-warnings]')!.textContent).toContain('portal_batchRowLabel');
    expect($('[data-batch-report]')).toBeNull();
  });

  it('offers the whole file when no row has an error', async () => {
    await act(() => render(h(Batch, { ctx: context(() => Promise.resolve(CLEAN)) }), root));
    await chooseFile('ok.xlsx');
    await click('[data-action="check-batch"]');
    await settle();
    expect($('[data-batch-clean]')).not.toBeNull();
    const wholeFile = $<HTMLInputElement>('input[name="scope"][value="file"]')!;
    expect(wholeFile.disabled).toBe(false);
    expect(wholeFile.checked).toBe(true);
  });
});
