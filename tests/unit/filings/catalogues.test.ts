/** The filing catalogues: every code has a clerk-readable message in both languages; codes are closed lists. */
import { describe, expect, it } from 'vitest';
import { FIELD_ERROR_CODES } from '../../../shared/fields/errors.ts';
import {
  DEPENDANT_ENROL_REASONS,
  DEPENDANT_WITHDRAWAL_REASONS,
  RELATIONSHIPS,
  WITHDRAWAL_REASONS,
  codeForLabel,
} from '../../../shared/filings/codes.ts';
import {
  FILING_CHECK_CODES,
  FILING_CHECK_MESSAGES,
  filingIssueMessage,
} from '../../../shared/filings/errors.ts';
import { FIELD_LABELS } from '../../../shared/filings/labels.ts';

describe('filing check messages', () => {
  it('has zh-TW and English text for every check and batch code', () => {
    for (const code of FILING_CHECK_CODES) {
      expect(FILING_CHECK_MESSAGES[code]['zh-TW']).toMatch(/[\u4E00-\u9FFF]/);
      expect(FILING_CHECK_MESSAGES[code].en).toMatch(/[A-Za-z]/);
      expect(FILING_CHECK_MESSAGES[code].en).not.toMatch(/[\u4E00-\u9FFF]/);
    }
  });

  it("names the field in the clerk's language and leaves no placeholder behind", () => {
    expect(filingIssueMessage('ERR_CHECK_LATE_FILING', 'enrolmentDate', 'zh-TW')).toContain('「加保日期」');
    expect(filingIssueMessage('ERR_FIELD_ID_CHECKSUM', 'insuredIdNumber', 'en')).toContain(
      "Insured person's ID number",
    );
    for (const code of [...FILING_CHECK_CODES, ...FIELD_ERROR_CODES]) {
      for (const language of ['zh-TW', 'en'] as const) {
        expect(filingIssueMessage(code, 'idNumber', language)).not.toContain('{field}');
      }
    }
  });

  it('keeps the check codes apart from the field codes', () => {
    const all = [...FILING_CHECK_CODES, ...FIELD_ERROR_CODES];
    expect(new Set(all).size).toBe(all.length);
  });

  it('labels every field in both languages', () => {
    for (const label of Object.values(FIELD_LABELS)) {
      expect(label['zh-TW']).toMatch(/[\u4E00-\u9FFF]/);
      expect(label.en.length).toBeGreaterThan(1);
    }
  });
});

describe('designed code lists', () => {
  const lists = { WITHDRAWAL_REASONS, DEPENDANT_ENROL_REASONS, DEPENDANT_WITHDRAWAL_REASONS, RELATIONSHIPS };

  it.each(Object.entries(lists))('%s has unique codes and unique zh-TW labels', (_name, list) => {
    expect(new Set(list.map((e) => e.code)).size).toBe(list.length);
    expect(new Set(list.map((e) => e.label['zh-TW'])).size).toBe(list.length);
  });

  it('lists the dependants of NHI Act art. 2', () => {
    expect(RELATIONSHIPS.map((r) => r.label['zh-TW'])).toEqual([
      '配偶',
      '子女',
      '父母',
      '祖父母',
      '外祖父母',
      '孫子女',
      '外孫子女',
      '曾祖父母',
      '外曾祖父母',
    ]);
  });

  it('finds a code by its zh-TW label, and nothing for an unknown label', () => {
    expect(codeForLabel(RELATIONSHIPS, '外孫子女')).toBe('R07');
    expect(codeForLabel(RELATIONSHIPS, '兄弟姊妹')).toBeUndefined();
  });
});
