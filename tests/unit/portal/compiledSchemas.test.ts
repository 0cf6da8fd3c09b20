/** The portal's compiled schema checks answer as Value.Check does, on the batch layout's own filings and on misfits. */
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { compiledCheck } from '../../../portal/src/filings/compiledSchemas.ts';
import { BATCH_EXAMPLE_ROWS } from '../../../shared/filings/batchExample.ts';
import { batchHeaderRow, parseBatchRows } from '../../../shared/filings/batchLayout.ts';
import * as contracts from '../../../shared/filings/contracts.ts';

const SCHEMAS = [
  contracts.EnrolFiling,
  contracts.WithdrawFiling,
  contracts.DependantEnrolFiling,
  contracts.DependantWithdrawFiling,
  contracts.AmountChangeFiling,
  contracts.CorrectionFiling,
];

describe('compiledCheck', () => {
  const filings = parseBatchRows([batchHeaderRow(), ...BATCH_EXAMPLE_ROWS]).filings.map((f) => f.filing);

  it('reads the example rows to the same filings as Value.Check does', () => {
    expect(filings.length).toBeGreaterThan(3);
    const compiled = parseBatchRows([batchHeaderRow(), ...BATCH_EXAMPLE_ROWS], compiledCheck);
    expect(compiled.filings.map((f) => f.filing)).toEqual(filings);
  });

  it('agrees with Value.Check on every schema, for fitting and misfitting values', () => {
    const misfits = filings.flatMap((f) => [
      { ...f, idNumber: 5 },
      { ...f, extra: 'x' },
      { kind: f.kind },
      {},
      null,
    ]);
    for (const schema of SCHEMAS)
      for (const value of [...filings, ...misfits])
        expect(compiledCheck(schema, value)).toBe(Value.Check(schema, value));
    expect(filings.every((f) => SCHEMAS.some((s) => compiledCheck(s, f)))).toBe(true);
  });
});
