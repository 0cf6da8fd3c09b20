/**
 * Slips and statements through the real tools a reader would use: pdftotext finds the unit's
 * Chinese name and the amounts (the CJK font is embedded and extractable), pdftoppm + zbarimg decode
 * every barcode to its documented content, and the page is A4.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billUnitMonth, type InsuredSpell, type UnitPremium } from '../../../shared/billing/premium.ts';
import { slipIssuedIn } from '../../../shared/billing/slipSchedule.ts';
import { findCjkFont } from '../../../portal/src/documents/pdfDocument.ts';
import { renderSlipPdf, slipFigures, type SlipInput } from '../../../portal/src/documents/slipPdf.ts';
import { renderStatementPdf, statementCsv } from '../../../portal/src/documents/statements.ts';

const unit = { name: '卡橋測試股份有限公司', unitCode: '012345678' };
const payment = { bankCode: '004', virtualAccountPrefix: '9527', collectionCode: 'NH1' };
let dir: string;

function bill(month: string, insured: InsuredSpell[]): UnitPremium {
  const result = billUnitMonth(month, insured, [
    { idNumber: 'A223456781', name: '王小華', insuredIdNumber: 'A123456789', from: '2025-01-01' },
  ]);
  if (result.kind !== 'bill') throw new Error('expected a bill');
  return result.premium;
}

const roster: InsuredSpell[] = [
  {
    idNumber: 'A123456789',
    name: '王大明',
    from: '2025-01-01',
    amounts: [{ fromMonth: '2025-01', amount: 45_800 }],
  },
  {
    idNumber: 'B223456789',
    name: '林美麗',
    from: '2025-03-01',
    amounts: [{ fromMonth: '2025-03', amount: 313_000 }],
  },
];

function tool(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error) throw result.error;
  if (result.status !== 0 && command !== 'zbarimg') throw new Error(`${command} failed: ${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-docs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('e-payment slip PDF', () => {
  const period = slipIssuedIn('monthly', '2026-12')!;
  const input: SlipInput = {
    unit,
    period,
    bills: [bill('2026-11', roster)],
    issuedOn: '2026-12-20',
    payment,
  };

  it('is A4 with the unit, the shares, the total and the due date as extractable text', async () => {
    const file = path.join(dir, 'slip.pdf');
    writeFileSync(file, await renderSlipPdf(input, findCjkFont()));
    const info = tool('pdfinfo', [file]);
    expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
    expect(info).toMatch(/Pages:\s+1/);
    const text = tool('pdftotext', ['-layout', file, '-']);
    const figures = slipFigures(input);
    // 45,800 → own 710, one dependant 710, unit 2,216; 313,000 → own 4,855, unit 15,146.
    expect(figures).toMatchObject({ personShare: 710 * 2 + 4_855, unitShare: 2_216 + 15_146 });
    expect(text).toContain(unit.name);
    expect(text).toContain('投保單位代號');
    expect(text).toContain(figures.personShare.toLocaleString('en-US'));
    expect(text).toContain(figures.unitShare.toLocaleString('en-US'));
    expect(text).toContain(figures.total.toLocaleString('en-US'));
    expect(text).toContain('115/12/31');
    expect(text).toContain(figures.virtualAccount);
  });

  it('carries three Code 39 barcodes that decode to the documented content', async () => {
    const file = path.join(dir, 'barcodes.pdf');
    writeFileSync(file, await renderSlipPdf(input, findCjkFont()));
    tool('pdftoppm', ['-r', '200', '-png', file, path.join(dir, 'page')]);
    const page = readdirSync(dir).find((f) => f.startsWith('page') && f.endsWith('.png'))!;
    const decoded = tool('zbarimg', ['--quiet', '-Scode39.enable', path.join(dir, page)])
      .trim()
      .split('\n')
      .map((line) => line.replace(/^CODE-39:/, ''))
      .sort();
    expect(decoded).toEqual([...slipFigures(input).barcodes].sort());
  });

  it('is the same file when made again after other documents (shaped text is kept per process)', async () => {
    const font = findCjkFont();
    const first = await renderSlipPdf(input, font);
    // The same texts at other sizes in between: a kept shaping that a document changed would show.
    await renderStatementPdf('detail', { unit, bills: input.bills, issuedOn: input.issuedOn }, font);
    await renderSlipPdf({ ...input, unit: { ...unit, name: `${unit.name}台北分公司` } }, font);
    const again = await renderSlipPdf(input, font);
    expect(again.equals(first)).toBe(true);
  });

  it('gives a bi-monthly slip both months', async () => {
    const bimonthly = slipIssuedIn('bimonthly', '2027-01')!;
    const both: SlipInput = {
      ...input,
      period: bimonthly,
      bills: [bill('2026-11', roster), bill('2026-12', roster)],
      issuedOn: '2027-01-20',
    };
    const file = path.join(dir, 'bimonthly.pdf');
    writeFileSync(file, await renderSlipPdf(both, findCjkFont()));
    const text = tool('pdftotext', [file, '-']);
    expect(text).toContain('115/11、115/12');
    expect(text).toContain(slipFigures(both).total.toLocaleString('en-US'));
    expect(slipFigures(both).total).toBe(2 * slipFigures(input).total);
  });
});

describe('statements', () => {
  const input = { unit, bills: [bill('2026-11', roster)], issuedOn: '2026-12-20' };

  it('lists each insured person and dependant with the shares (PDF)', async () => {
    const file = path.join(dir, 'detail.pdf');
    writeFileSync(file, await renderStatementPdf('detail', input, findCjkFont()));
    const text = tool('pdftotext', ['-layout', file, '-']);
    for (const expected of ['保費明細表', '王大明', '王小華', '林美麗', 'A223456781', '4855', '15146']) {
      expect(text).toContain(expected);
    }
  });

  it('sums per employee (PDF and CSV with BOM)', async () => {
    const file = path.join(dir, 'summary.pdf');
    writeFileSync(file, await renderStatementPdf('summary', input, findCjkFont()));
    const text = tool('pdftotext', ['-layout', file, '-']);
    expect(text).toContain('員工保費計算彙總表');
    expect(text).toContain(String(710 * 2 + 4_855));
    const csv = statementCsv('summary', input);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toContain('身分證號');
    expect(lines).toContain('115/11,A123456789,王大明,45800,1,1420,2216');
  });

  it('neutralises spreadsheet formulas in CSV cells', () => {
    const evil = bill('2026-11', [{ ...roster[0]!, name: '=HYPERLINK("x")' }]);
    const csv = statementCsv('detail', { ...input, bills: [evil] }).toString('utf8');
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
