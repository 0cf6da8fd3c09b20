/**
 * The e-payment slip (電子繳款單): one A4 PDF per unit and slip period, from the period's bills.
 * Layout rules (barcodes, virtual account) are data in shared/billing/slipBarcodes.ts; texts come from
 * the portal's catalogue; dates are written the Taiwanese way (ROC year).
 */
import type { UnitPremium } from '../../../shared/billing/premium.ts';
import { slipBarcodes, STORE_BARCODE_LAYOUT, virtualAccount } from '../../../shared/billing/slipBarcodes.ts';
import { latePaymentRuleFor, type SlipPeriod } from '../../../shared/billing/slipSchedule.ts';
import { rocDisplayDate, rocDisplayMonth } from '../../../shared/tw/rocDate.ts';
import { DOCUMENT_TEXT as T } from '../i18n/messages.ts';
import { drawCode39 } from './barcodeDrawing.ts';
import { A4_MARGIN, newPdf, type CjkFont } from './pdfDocument.ts';

export interface PaymentChannels {
  /** The collecting bank's code (3 digits) and the prefix it assigns to virtual accounts. */
  bankCode: string;
  virtualAccountPrefix: string;
  /** The convenience stores' collection code (3 characters). */
  collectionCode: string;
}

export interface SlipInput {
  unit: { name: string; unitCode: string };
  period: SlipPeriod;
  /** One bill per month of the period, in month order. */
  bills: UnitPremium[];
  /** ISO date the slip is made. */
  issuedOn: string;
  payment: PaymentChannels;
}

export interface SlipFigures {
  personShare: number;
  unitShare: number;
  total: number;
  insuredPersons: number;
  dependants: number;
  barcodes: [string, string, string];
  virtualAccount: string;
}

const money = (n: number) => n.toLocaleString('en-US');
const both = (text: { 'zh-TW': string; en: string }) => `${text['zh-TW']} ${text.en}`;

/** The figures the slip prints, worked out once (also used by tests and the download list). */
export function slipFigures(input: SlipInput): SlipFigures {
  const personShare = input.bills.reduce((sum, b) => sum + b.totals.personShare, 0);
  const unitShare = input.bills.reduce((sum, b) => sum + b.totals.unitShare, 0);
  const last = input.bills[input.bills.length - 1];
  const firstMonth = input.period.months[0]!;
  return {
    personShare,
    unitShare,
    total: personShare + unitShare,
    insuredPersons: last?.totals.insuredPersons ?? 0,
    dependants: last?.totals.dependants ?? 0,
    barcodes: slipBarcodes({
      unitCode: input.unit.unitCode,
      firstMonth,
      dueDate: input.period.dueDate,
      amount: personShare + unitShare,
      collectionCode: input.payment.collectionCode,
    }),
    virtualAccount: virtualAccount(input.payment.virtualAccountPrefix, input.unit.unitCode, firstMonth),
  };
}

function percent(basisPoints: number): string {
  return `${basisPoints / 100}%`;
}

export function renderSlipPdf(input: SlipInput, font: CjkFont): Promise<Buffer> {
  const figures = slipFigures(input);
  const months = input.period.months.map(rocDisplayMonth).join('、');
  const cycle = input.period.cycle === 'monthly' ? T.cycleMonthly : T.cycleBimonthly;
  const late = latePaymentRuleFor(input.period.issueMonth);
  const created = new Date(`${input.issuedOn}T00:00:00+08:00`);
  const { doc, done } = newPdf(
    font,
    `${T.slipTitle['zh-TW']} ${input.unit.unitCode} ${input.period.id}`,
    created,
  );
  const width = doc.page.width - 2 * A4_MARGIN;

  doc.fontSize(16).text(T.slipTitle['zh-TW'], { align: 'center' });
  doc.fontSize(10).text(T.slipTitle.en, { align: 'center' }).moveDown(1);

  doc.fontSize(11).table({
    columnStyles: [width * 0.42, width * 0.58],
    data: [
      [both(T.unitName), input.unit.name],
      [both(T.unitCode), input.unit.unitCode],
      [both(T.period), `${months}（${cycle['zh-TW']} ${cycle.en}）`],
      [both(T.insuredPersons), `${figures.insuredPersons} / ${figures.dependants}`],
      [both(T.personShare), `NT$ ${money(figures.personShare)}`],
      [both(T.unitShare), `NT$ ${money(figures.unitShare)}`],
      [both(T.total), `NT$ ${money(figures.total)}`],
      [both(T.dueDate), rocDisplayDate(input.period.dueDate)],
      [both(T.bankTransfer), `${input.payment.bankCode} / ${figures.virtualAccount}`],
      [both(T.issued), rocDisplayDate(input.issuedOn)],
    ],
  });
  doc.moveDown(0.8);
  doc
    .fontSize(10)
    .text(T.lateRule['zh-TW'](late.graceDays, percent(late.dailyBasisPoints), percent(late.capBasisPoints)));
  doc
    .fontSize(9)
    .text(T.lateRule.en(late.graceDays, percent(late.dailyBasisPoints), percent(late.capBasisPoints)));
  doc.moveDown(1);

  doc.fontSize(11).text(both(T.storeBarcodes));
  doc.moveDown(0.4);
  figures.barcodes.forEach((text, i) => {
    const label = STORE_BARCODE_LAYOUT.lines[i]!.label;
    doc.fontSize(9).text(`${label['zh-TW']} ${label.en}`);
    const barsWidth = Math.min(width, 14 * text.length + 40);
    const placed = drawCode39(doc, text, doc.x, doc.y + 2, barsWidth);
    doc.y += placed.height + 4;
    doc.fontSize(9).text(`*${text}*`, doc.x, doc.y, { width: barsWidth, align: 'center' });
    doc.moveDown(0.6);
  });

  doc.moveDown(0.5);
  doc.fontSize(9).text(T.testNotice['zh-TW']).text(T.testNotice.en);
  doc.end();
  return done;
}
