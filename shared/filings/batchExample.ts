/**
 * The example rows of the batch template (README.md "Batch layout" shows the same as CSV): one row
 * of each common kind, cells written as a clerk types them (ROC dates, thousands separators, zh-TW
 * labels), in BATCH_COLUMNS order. They illustrate the layout; their dates are not kept current.
 */
import { batchHeaderRow } from './batchLayout.ts';

export const BATCH_EXAMPLE_ROWS: readonly (readonly string[])[] = [
  [
    '加保',
    '勞健保',
    'A123456789',
    '王小明',
    '79/05/17',
    '115/12/01',
    '29,500',
    '29500',
    '6',
    '0',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
  ],
  ['退保', '', 'B222222228', '', '', '', '', '', '', '', '115/12/01', '離職', '', '', '', '', '', ''],
  [
    '眷屬加保',
    '',
    'F134567896',
    '王小安',
    '109/01/01',
    '',
    '',
    '',
    '',
    '',
    '115/12/01',
    'DA01',
    'A123456789',
    '子女',
    '',
    '',
    '',
    '',
  ],
  [
    '投保金額調整',
    '',
    'A123456789',
    '',
    '',
    '',
    '30300',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    '116/01',
    '115/11',
    '',
    '',
  ],
];

/** Header then examples: the template's rows. */
export function batchTemplateRows(): string[][] {
  return [batchHeaderRow(), ...BATCH_EXAMPLE_ROWS.map((r) => [...r])];
}
