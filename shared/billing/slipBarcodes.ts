/**
 * The three Code 39 convenience-store barcodes of an e-payment slip, laid out as data.
 *
 * Source: taiwan-nhi-facts.md "Slip barcodes" — the usual Taiwanese convenience-store format (三段式
 * 條碼: due date + collection code; a 16-character reference; MMDD + 2 check characters + a 9-digit
 * amount). It is NOT confirmed for NHI's slips. The reference and check characters below are designed
 * by CardBridge after the common scheme and documented in portal/docs/slips.md; the collection code
 * is assigned by the stores and so is configuration.
 */

export const CODE39_CHARACTERS = /^[0-9A-Z \-.$/+%]+$/;

export interface BarcodeField {
  name: string;
  length: number;
  meaning: string;
}

export interface BarcodeLine {
  label: { 'zh-TW': string; en: string };
  fields: readonly BarcodeField[];
}

export const STORE_BARCODE_LAYOUT: { symbology: 'code39'; status: string; lines: readonly BarcodeLine[] } = {
  symbology: 'code39',
  status: 'usual convenience-store format; unconfirmed for NHI slips (taiwan-nhi-facts.md)',
  lines: [
    {
      label: { 'zh-TW': '第一段條碼', en: 'Barcode 1' },
      fields: [
        {
          name: 'dueDate',
          length: 6,
          meaning: 'due date: last two digits of the ROC year, month, day (YYMMDD)',
        },
        { name: 'collectionCode', length: 3, meaning: 'collection code assigned by the stores (configured)' },
      ],
    },
    {
      label: { 'zh-TW': '第二段條碼', en: 'Barcode 2' },
      fields: [
        {
          name: 'reference',
          length: 16,
          meaning:
            '"N", the ROC year and month of the first billed month (YYYMM), the unit code left-padded with 0 to 10',
        },
      ],
    },
    {
      label: { 'zh-TW': '第三段條碼', en: 'Barcode 3' },
      fields: [
        { name: 'dueMonthDay', length: 4, meaning: 'month and day of the due date (MMDD)' },
        {
          name: 'check',
          length: 2,
          meaning: 'check characters over all three barcodes (see checkCharacters)',
        },
        { name: 'amount', length: 9, meaning: 'amount in NT$, zero-padded' },
      ],
    },
  ],
};

/** Letters count as digits in the check sums: A–I 1–9, J–R 1–9, S–Z 2–9 (the common scheme). */
function characterValue(ch: string): number {
  if (/^\d$/.test(ch)) return Number(ch);
  const code = ch.charCodeAt(0) - 65;
  if (code >= 0 && code <= 8) return code + 1;
  if (code >= 9 && code <= 17) return code - 8;
  if (code >= 18 && code <= 25) return code - 16;
  return 0;
}

/**
 * Check characters: the sum of the values at odd positions (1st, 3rd, …) of barcode 1, barcode 2 and
 * barcode 3 without its check characters, modulo 11 (0 → A, 10 → B); the even positions likewise
 * (0 → X, 10 → Y).
 */
export function checkCharacters(line1: string, line2: string, line3WithoutCheck: string): string {
  const text = line1 + line2 + line3WithoutCheck;
  let odd = 0;
  let even = 0;
  for (let i = 0; i < text.length; i++) {
    if (i % 2 === 0) odd += characterValue(text[i]!);
    else even += characterValue(text[i]!);
  }
  const mapOdd = (n: number) => (n === 0 ? 'A' : n === 10 ? 'B' : String(n));
  const mapEven = (n: number) => (n === 0 ? 'X' : n === 10 ? 'Y' : String(n));
  return mapOdd(odd % 11) + mapEven(even % 11);
}

export class SlipBarcodeError extends Error {}

export interface SlipBarcodeInput {
  unitCode: string;
  /** First billed month, YYYY-MM. */
  firstMonth: string;
  /** ISO date. */
  dueDate: string;
  amount: number;
  collectionCode: string;
}

function rocYear(year: number): number {
  return year - 1911;
}

/** The three barcode texts, in order, each checked against its layout line's length. */
export function slipBarcodes(input: SlipBarcodeInput): [string, string, string] {
  const due = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input.dueDate);
  const first = /^(\d{4})-(\d{2})$/.exec(input.firstMonth);
  if (!due || !first) throw new SlipBarcodeError('due date or billed month malformed');
  if (!Number.isSafeInteger(input.amount) || input.amount < 0 || input.amount > 999_999_999) {
    throw new SlipBarcodeError(`amount out of range for a 9-digit field: ${input.amount}`);
  }
  const unitCode = input.unitCode.toUpperCase();
  if (unitCode.length > 10 || !/^[0-9A-Z]+$/.test(unitCode)) {
    throw new SlipBarcodeError(`unit code does not fit the 10-character reference: ${input.unitCode}`);
  }
  if (!/^[0-9A-Z]{3}$/.test(input.collectionCode))
    throw new SlipBarcodeError('collection code must be 3 characters');

  const dueYear = String(rocYear(Number(due[1])) % 100).padStart(2, '0');
  const line1 = `${dueYear}${due[2]}${due[3]}${input.collectionCode}`;
  const line2 = `N${String(rocYear(Number(first[1]))).padStart(3, '0')}${first[2]}${unitCode.padStart(10, '0')}`;
  const amount = String(input.amount).padStart(9, '0');
  const monthDay = `${due[2]}${due[3]}`;
  const line3 = `${monthDay}${checkCharacters(line1, line2, monthDay + amount)}${amount}`;

  const lines: [string, string, string] = [line1, line2, line3];
  lines.forEach((text, i) => {
    const expected = STORE_BARCODE_LAYOUT.lines[i]!.fields.reduce((sum, f) => sum + f.length, 0);
    if (text.length !== expected || !CODE39_CHARACTERS.test(text)) {
      throw new SlipBarcodeError(`barcode ${i + 1} does not fit its layout: ${text}`);
    }
  });
  return lines;
}

/**
 * Virtual account for bank transfer (designed by CardBridge, documented in portal/docs/slips.md):
 * a 4-digit prefix the collecting bank assigns, the unit code's 9 digits, the billed month's ROC
 * YYMM, and a check digit (weights 3, 7, 1 repeating, modulo 10). 18 digits in all.
 */
export function virtualAccount(prefix: string, unitCode: string, firstMonth: string): string {
  if (!/^\d{4}$/.test(prefix)) throw new SlipBarcodeError('virtual account prefix must be 4 digits');
  const digits = unitCode.replace(/\D/g, '').padStart(9, '0');
  if (digits.length !== 9)
    throw new SlipBarcodeError(`unit code does not fit a virtual account: ${unitCode}`);
  const m = /^(\d{4})-(\d{2})$/.exec(firstMonth);
  if (!m) throw new SlipBarcodeError(`not a month: ${firstMonth}`);
  const body = `${prefix}${digits}${String(rocYear(Number(m[1])) % 100).padStart(2, '0')}${m[2]}`;
  const weights = [3, 7, 1];
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[i]) * weights[i % 3]!;
  return body + String((10 - (sum % 10)) % 10);
}
