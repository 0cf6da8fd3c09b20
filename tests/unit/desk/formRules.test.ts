/** The e-service desk's date rules with a frozen clock: month ends, January, the 5th and the 20th at 23:59 and 00:00 Taipei, 6 and 7 months. */
import { describe, expect, it } from 'vitest';
import {
  autoSendStart,
  checkResendRequest,
  resendWindow,
  type ResendRequest,
} from '../../../shared/desk/formRules.ts';
import { deskRuleMessage } from '../../../shared/desk/messages.ts';
import { taipeiInstant, taipeiNow } from '../../../shared/tw/taipeiTime.ts';

const at = (date: string, time: string) => taipeiInstant(date, time);
const request = (fromMonth: string, toMonth: string): ResendRequest => ({
  documents: ['slip'],
  fromMonth,
  toMonth,
});

function codes(decision: ReturnType<typeof checkResendRequest>): string[] {
  return decision.ok ? [] : decision.problems.map((p) => p.code);
}

describe('Taipei time', () => {
  it('is UTC+8: 16:00 UTC is midnight of the next day in Taipei', () => {
    expect(taipeiNow(new Date('2026-12-04T15:59:00Z'))).toMatchObject({
      date: '2026-12-04',
      day: 4,
      time: '23:59',
    });
    expect(taipeiNow(new Date('2026-12-04T16:00:00Z'))).toMatchObject({
      date: '2026-12-05',
      day: 5,
      time: '00:00',
    });
    expect(taipeiNow(new Date('2026-12-31T16:30:00Z'))).toMatchObject({
      date: '2027-01-01',
      month: '2027-01',
    });
  });
});

describe('re-send requests', () => {
  const cases: Array<{ name: string; now: Date; from: string; to: string; expected: string[] | string[][] }> =
    [
      {
        name: '6 months is allowed',
        now: at('2026-12-25', '10:00'),
        from: '2026-07',
        to: '2026-12',
        expected: [],
      },
      {
        name: '7 months is refused',
        now: at('2026-12-25', '10:00'),
        from: '2026-06',
        to: '2026-12',
        expected: ['ERR_DESK_RANGE_TOO_LONG'],
      },
      {
        name: 'January of last year is the earliest',
        now: at('2026-12-25', '10:00'),
        from: '2025-01',
        to: '2025-06',
        expected: [],
      },
      {
        name: 'December two years back is too early',
        now: at('2026-12-25', '10:00'),
        from: '2024-12',
        to: '2025-03',
        expected: ['ERR_DESK_MONTH_TOO_EARLY'],
      },
      {
        name: 'in January the window reaches back to January of last year',
        now: at('2027-01-02', '09:00'),
        from: '2026-01',
        to: '2026-06',
        expected: [],
      },
      {
        name: 'in January the year before last is out',
        now: at('2027-01-02', '09:00'),
        from: '2025-12',
        to: '2026-02',
        expected: ['ERR_DESK_MONTH_TOO_EARLY'],
      },
      {
        name: 'next month is in the future',
        now: at('2026-12-25', '10:00'),
        from: '2026-12',
        to: '2027-01',
        expected: ['ERR_DESK_MONTH_IN_FUTURE'],
      },
      {
        name: 'the current month on the 19th at 23:59 is not yet available',
        now: at('2026-12-19', '23:59'),
        from: '2026-11',
        to: '2026-12',
        expected: ['ERR_DESK_NOT_YET_AVAILABLE'],
      },
      {
        name: 'the current month on the 20th at 00:00 is available',
        now: at('2026-12-20', '00:00'),
        from: '2026-11',
        to: '2026-12',
        expected: [],
      },
      {
        name: 'last month is fine on the 1st',
        now: at('2026-12-01', '00:00'),
        from: '2026-10',
        to: '2026-11',
        expected: [],
      },
      {
        name: 'at 23:59 on the last day of a month the next month is still future',
        now: at('2026-11-30', '23:59'),
        from: '2026-12',
        to: '2026-12',
        expected: ['ERR_DESK_MONTH_IN_FUTURE'],
      },
      {
        name: 'a reversed range',
        now: at('2026-12-25', '10:00'),
        from: '2026-10',
        to: '2026-08',
        expected: ['ERR_DESK_RANGE_REVERSED'],
      },
      {
        name: 'a malformed month',
        now: at('2026-12-25', '10:00'),
        from: '2026-13',
        to: '2026-12',
        expected: ['ERR_DESK_MONTH_MALFORMED'],
      },
    ];
  for (const c of cases) {
    it(c.name, () => {
      expect(codes(checkResendRequest(request(c.from, c.to), 'monthly', c.now))).toEqual(c.expected);
    });
  }

  it('lists the months to send, and only odd months for bi-monthly units', () => {
    const monthly = checkResendRequest(request('2026-07', '2026-12'), 'monthly', at('2026-12-25', '10:00'));
    expect(monthly).toEqual({
      ok: true,
      months: ['2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12'],
      documents: ['slip'],
    });
    const bimonthly = checkResendRequest(
      request('2026-07', '2026-12'),
      'bimonthly',
      at('2026-12-25', '10:00'),
    );
    expect(bimonthly).toMatchObject({ ok: true, months: ['2026-07', '2026-09', '2026-11'] });
    expect(
      codes(checkResendRequest(request('2026-08', '2026-08'), 'bimonthly', at('2026-12-25', '10:00'))),
    ).toEqual(['ERR_DESK_NO_SLIP_IN_RANGE']);
  });

  it('does not say "not yet" to a bi-monthly unit in an even month that has no slip', () => {
    const decision = checkResendRequest(
      request('2026-11', '2026-12'),
      'bimonthly',
      at('2026-12-10', '10:00'),
    );
    expect(decision).toMatchObject({ ok: true, months: ['2026-11'] });
  });

  it('needs at least one document', () => {
    const decision = checkResendRequest(
      { documents: [], fromMonth: '2026-10', toMonth: '2026-11' },
      'monthly',
      at('2026-12-25', '10:00'),
    );
    expect(codes(decision)).toEqual(['ERR_DESK_NO_DOCUMENTS']);
  });

  it('explains each refusal in zh-TW with ROC months and in English', () => {
    const decision = checkResendRequest(request('2026-11', '2026-12'), 'monthly', at('2026-12-19', '23:59'));
    if (decision.ok) throw new Error('expected a refusal');
    expect(deskRuleMessage(decision.problems[0]!, 'zh-TW')).toContain('115/12/20');
    expect(deskRuleMessage(decision.problems[0]!, 'en')).toContain('2026-12-20');
    const tooLong = checkResendRequest(request('2026-06', '2026-12'), 'monthly', at('2026-12-25', '10:00'));
    if (tooLong.ok) throw new Error('expected a refusal');
    expect(deskRuleMessage(tooLong.problems[0]!, 'zh-TW')).toContain('請分 2 次（含）以上申請');
  });

  it('gives the window for the form to explain', () => {
    expect(resendWindow(at('2027-01-01', '00:00'))).toEqual({
      earliest: '2026-01',
      latest: '2027-01',
      latestAvailableFrom: '2027-01-20',
    });
  });
});

describe('automatic sending', () => {
  it('starts with this month when applied for by the 5th, 23:59 Taipei', () => {
    expect(autoSendStart('monthly', at('2026-12-05', '23:59'))).toEqual({
      firstMonth: '2026-12',
      cutoffApplied: false,
    });
  });
  it('starts with next month from the 6th, 00:00 Taipei', () => {
    expect(autoSendStart('monthly', at('2026-12-06', '00:00'))).toEqual({
      firstMonth: '2027-01',
      cutoffApplied: true,
    });
  });
  it('crosses the year end', () => {
    expect(autoSendStart('monthly', at('2026-12-31', '23:59')).firstMonth).toBe('2027-01');
  });
  it('starts bi-monthly units at the next odd month', () => {
    expect(autoSendStart('bimonthly', at('2026-12-03', '10:00')).firstMonth).toBe('2027-01');
    expect(autoSendStart('bimonthly', at('2026-11-05', '10:00')).firstMonth).toBe('2026-11');
    expect(autoSendStart('bimonthly', at('2026-11-06', '10:00')).firstMonth).toBe('2027-01');
  });
});
