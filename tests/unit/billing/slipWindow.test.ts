/** The download area's window and the next mailing (shared/billing/slipWindow.ts). */
import { describe, expect, it } from 'vitest';
import { slipPeriodById } from '../../../shared/billing/slipSchedule.ts';
import {
  downloadablePeriods,
  isDownloadable,
  latestIssueMonth,
  nextSlip,
  retentionStart,
} from '../../../shared/billing/slipWindow.ts';

describe('slip download window', () => {
  it('keeps slips from January of last year up to the latest 20th', () => {
    expect(retentionStart('2026-12-02')).toBe('2025-01');
    expect(latestIssueMonth('2026-12-19')).toBe('2026-11');
    expect(latestIssueMonth('2026-12-20')).toBe('2026-12');
    const monthly = downloadablePeriods('monthly', '2026-12-20');
    expect(monthly[0]!.id).toBe('2026-11');
    expect(monthly.at(-1)!.id).toBe('2024-12');
    expect(monthly).toHaveLength(24);
  });

  it('lists bi-monthly slips of odd issue months only', () => {
    const periods = downloadablePeriods('bimonthly', '2026-12-02');
    expect(periods.map((p) => p.issueMonth)).toEqual([
      '2026-11',
      '2026-09',
      '2026-07',
      '2026-05',
      '2026-03',
      '2026-01',
      '2025-11',
      '2025-09',
      '2025-07',
      '2025-05',
      '2025-03',
      '2025-01',
    ]);
    expect(periods[0]!.id).toBe('2026-09+10');
  });

  it('refuses periods before the window and not yet issued', () => {
    expect(isDownloadable(slipPeriodById('monthly', '2024-12'), '2026-12-02')).toBe(true);
    expect(isDownloadable(slipPeriodById('monthly', '2024-11'), '2026-12-02')).toBe(false);
    expect(isDownloadable(slipPeriodById('monthly', '2026-11'), '2026-12-19')).toBe(false);
    expect(isDownloadable(slipPeriodById('monthly', '2026-11'), '2026-12-20')).toBe(true);
  });

  it('says when the next slip is mailed', () => {
    expect(nextSlip('monthly', '2026-12-20')).toMatchObject({
      issueDate: '2026-12-20',
      period: { id: '2026-11' },
    });
    expect(nextSlip('monthly', '2026-12-21')).toMatchObject({
      issueDate: '2027-01-20',
      period: { id: '2026-12' },
    });
    expect(nextSlip('bimonthly', '2026-12-01')).toMatchObject({
      issueDate: '2027-01-20',
      period: { id: '2026-11+12' },
    });
    expect(nextSlip('bimonthly', '2027-01-21')).toMatchObject({
      issueDate: '2027-03-20',
      period: { id: '2027-01+02' },
    });
  });
});
