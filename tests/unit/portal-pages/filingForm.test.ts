/**
 * The filing forms read what the clerk typed through the same parsing and checks as the batch upload
 * and the portal: a valid 加保 (ROC dates, amounts with commas) becomes the Filing the portal expects;
 * a wrong field is reported beside that field; a late filing is a warning that does not stop signing.
 */
import { describe, expect, it } from 'vitest';
import { fieldsFor, readFilingForm } from '../../../extension/pages/portal/filingForm.ts';

const NOW = new Date('2026-12-02T06:30:00.000Z');

describe('filing forms', () => {
  it('shows the labour fields for a joint 勞健保 enrolment only', () => {
    expect(fieldsFor('enrol', 'nhi')).not.toContain('labourInsuredSalary');
    expect(fieldsFor('enrol', 'joint')).toEqual(
      expect.arrayContaining(['labourInsuredSalary', 'employerPensionPercent']),
    );
    expect(fieldsFor('withdraw', 'joint')).toEqual(['idNumber', 'date', 'reason']);
  });

  it('reads a 加保 typed the Taiwanese way into the normalised Filing', () => {
    const result = readFilingForm(
      {
        kind: 'enrol',
        scheme: 'joint',
        values: {
          idNumber: ' a123456789 ',
          name: '王小明',
          birthDate: '79/05/17',
          enrolmentDate: '115/12/01',
          insuredAmount: '29,500',
          labourInsuredSalary: '29500',
          employerPensionPercent: '6',
          employeePensionPercent: '0',
        },
      },
      NOW,
    );
    expect(result.errors).toEqual({});
    expect(result.filing).toEqual({
      kind: 'enrol',
      scheme: 'joint',
      idNumber: 'A123456789',
      name: '王小明',
      birthDate: '1990-05-17',
      enrolmentDate: '2026-12-01',
      insuredAmount: 29500,
      labourInsuredSalary: 29500,
      employerPensionPercent: 6,
      employeePensionPercent: 0,
    });
  });

  it('puts each error beside its field and keeps no filing', () => {
    const result = readFilingForm(
      { kind: 'withdraw', scheme: 'nhi', values: { idNumber: 'A123456788', date: '2026-13-01' } },
      NOW,
    );
    expect(result.filing).toBeUndefined();
    expect(Object.keys(result.errors).sort()).toEqual(['date', 'idNumber', 'reason']);
  });

  it('accepts a late enrolment with the late warning', () => {
    const result = readFilingForm(
      {
        kind: 'enrol',
        scheme: 'nhi',
        values: {
          idNumber: 'A123456789',
          name: '王小明',
          birthDate: '1990-05-17',
          enrolmentDate: '2026-11-20',
          insuredAmount: '29500',
        },
      },
      NOW,
    );
    expect(result.filing).toBeDefined();
    expect(result.warnings.map((w) => w.code)).toEqual(['ERR_CHECK_LATE_FILING']);
  });
});
