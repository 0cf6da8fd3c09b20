/**
 * Statements (各類明細表): 保費明細表 (every insured person and dependant with the shares) and
 * 員工保費計算彙總表 (one line per employee), each as A4 PDF and as CSV (UTF-8 with BOM so Excel in
 * Taiwan opens it). The rows are made once and both formats print them.
 */
import type { UnitPremium } from '../../../shared/billing/premium.ts';
import { rocDisplayDate, rocDisplayMonth } from '../../../shared/tw/rocDate.ts';
import { DOCUMENT_TEXT as T } from '../i18n/messages.ts';
import { A4_MARGIN, newPdf, type CjkFont } from './pdfDocument.ts';

export type StatementKind = 'detail' | 'summary';
export const STATEMENT_KINDS: readonly StatementKind[] = ['detail', 'summary'];

export interface StatementInput {
  unit: { name: string; unitCode: string };
  bills: UnitPremium[];
  issuedOn: string;
}

const header = (text: { 'zh-TW': string; en: string }) => `${text['zh-TW']} ${text.en}`;

export function statementTable(kind: StatementKind, bills: readonly UnitPremium[]): string[][] {
  if (kind === 'detail') {
    const rows = [
      [T.month, T.role, T.idNumber, T.name, T.insuredAmount, T.ownShare, T.unitShare].map(header),
    ];
    for (const bill of bills) {
      for (const e of bill.employees) {
        const month = rocDisplayMonth(bill.month);
        rows.push([
          month,
          T.roleInsured['zh-TW'],
          e.idNumber,
          e.name,
          String(e.insuredAmount),
          String(e.ownShare),
          String(e.unitShare),
        ]);
        for (const d of e.dependants) {
          const share = d.charged ? String(d.share) : `0（${T.notCharged['zh-TW']}）`;
          rows.push([
            month,
            T.roleDependant['zh-TW'],
            d.idNumber,
            d.name,
            String(e.insuredAmount),
            share,
            '',
          ]);
        }
      }
    }
    return rows;
  }
  const rows = [
    [T.month, T.idNumber, T.name, T.insuredAmount, T.dependantsCount, T.personTotal, T.unitShare].map(header),
  ];
  for (const bill of bills) {
    for (const e of bill.employees) {
      const charged = e.dependants.filter((d) => d.charged).length;
      rows.push([
        rocDisplayMonth(bill.month),
        e.idNumber,
        e.name,
        String(e.insuredAmount),
        String(charged),
        String(e.personTotal),
        String(e.unitShare),
      ]);
    }
    rows.push([
      rocDisplayMonth(bill.month),
      '',
      header(T.total),
      '',
      String(bill.totals.chargedDependants),
      String(bill.totals.personShare),
      String(bill.totals.unitShare),
    ]);
  }
  return rows;
}

/** A spreadsheet would run a cell starting with = + - @ as a formula: such text gets a leading '. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function statementCsv(kind: StatementKind, input: StatementInput): Buffer {
  const lines = statementTable(kind, input.bills).map((row) => row.map(csvCell).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

export async function renderStatementPdf(
  kind: StatementKind,
  input: StatementInput,
  font: CjkFont,
): Promise<Buffer> {
  const title = kind === 'detail' ? T.detailTitle : T.summaryTitle;
  const created = new Date(`${input.issuedOn}T00:00:00+08:00`);
  const { doc, done } = newPdf(font, `${title['zh-TW']} ${input.unit.unitCode}`, created);
  const width = doc.page.width - 2 * A4_MARGIN;
  doc.fontSize(15).text(title['zh-TW'], { align: 'center' });
  doc.fontSize(10).text(title.en, { align: 'center' }).moveDown(0.6);
  doc.fontSize(10).text(`${header(T.unitName)}：${input.unit.name}`);
  doc.text(`${header(T.unitCode)}：${input.unit.unitCode}`);
  doc.text(`${header(T.period)}：${input.bills.map((b) => rocDisplayMonth(b.month)).join('、')}`);
  doc.text(`${header(T.issued)}：${rocDisplayDate(input.issuedOn)}`).moveDown(0.6);
  const [head, ...body] = statementTable(kind, input.bills);
  const columns =
    kind === 'detail' ? [0.1, 0.12, 0.16, 0.16, 0.16, 0.15, 0.15] : [0.1, 0.16, 0.16, 0.16, 0.12, 0.15, 0.15];
  doc.fontSize(8).table({
    columnStyles: columns.map((share) => share * width),
    data: [head!.map((text) => ({ text, type: 'TH' as const, backgroundColor: '#eeeeee' })), ...body],
  });
  doc.moveDown(0.5).fontSize(8).text(T.testNotice['zh-TW']).text(T.testNotice.en);
  doc.end();
  return done;
}
