/**
 * The self-check's clock item: ok within a minute of the portal, a warning up to 5 minutes (a
 * nonce's lifetime), an error beyond, with the fix for the clerk's OS; shown even without the host.
 */
import { describe, expect, it } from 'vitest';
import type { ClockCheck } from '../../../extension/background/clockCheck.ts';
import type { SelfCheckReport } from '../../../extension/lib/uiProtocol.ts';
import {
  CLOCK_ERROR_SECONDS,
  CLOCK_WARNING_SECONDS,
  overallLevel,
  selfCheckItems,
  type CheckItem,
} from '../../../extension/pages/selfcheck/checks.ts';

const PORTAL = 'https://portal.example.tw';

function report(clock: ClockCheck | undefined, overrides: Partial<SelfCheckReport> = {}): SelfCheckReport {
  return {
    generatedAt: '2025-03-01T08:00:00.000Z',
    os: 'win',
    browser: { name: 'Chrome', version: '130.0.0.0', minimum: '116', supported: true },
    extensionVersion: '0.1.0',
    ...(clock ? { clock } : {}),
    host: { ok: true, version: '0.1.0', protocol: 1 },
    status: {
      version: '0.1.0',
      protocol: 1,
      pcsc: { available: true },
      readers: [
        { name: 'ACS ACR39U 00 00', cardPresent: true, card: { type: 'nhi', identifiedBy: 'probe' } },
      ],
      tokens: [],
    },
    certificates: [],
    ...overrides,
  };
}

function clockItem(r: SelfCheckReport): CheckItem | undefined {
  const items = selfCheckItems(r, new Date('2025-03-01T08:00:00.000Z'));
  expect(items.filter((i) => i.id === 'clock').length).toBeLessThanOrEqual(1);
  return items.find((i) => i.id === 'clock');
}

const skew = (skewSeconds: number, os: SelfCheckReport['os'] = 'win') =>
  clockItem(report({ portal: PORTAL, skewSeconds }, { os }));

describe('selfCheckItems: the clock thresholds', () => {
  it('has a warning threshold of a minute and an error threshold of 5 minutes', () => {
    expect(CLOCK_WARNING_SECONDS).toBe(60);
    expect(CLOCK_ERROR_SECONDS).toBe(300);
  });

  it.each([0, 1, -1, 30, -30, CLOCK_WARNING_SECONDS, -CLOCK_WARNING_SECONDS])(
    'is ok for a skew of %i s, with no fix',
    (seconds) => {
      const item = skew(seconds);
      expect(item).toEqual({
        id: 'clock',
        level: 'ok',
        title: ['checkClock'],
        detail: ['clockOk', PORTAL],
      });
      expect(item?.fix).toBeUndefined();
    },
  );

  it.each([
    CLOCK_WARNING_SECONDS + 1,
    120,
    CLOCK_ERROR_SECONDS,
    -(CLOCK_WARNING_SECONDS + 1),
    -120,
    -CLOCK_ERROR_SECONDS,
  ])('is a warning for a skew of %i s', (seconds) => {
    expect(skew(seconds)?.level).toBe('warning');
  });

  it.each([CLOCK_ERROR_SECONDS + 1, 3_600, 86_400, -(CLOCK_ERROR_SECONDS + 1), -3_600, -86_400])(
    'is an error for a skew of %i s',
    (seconds) => {
      expect(skew(seconds)?.level).toBe('error');
    },
  );

  it('makes the whole report an error when the clock is more than 5 minutes off', () => {
    const items = selfCheckItems(report({ portal: PORTAL, skewSeconds: 1_000 }));
    expect(overallLevel(items)).toBe('error');
    expect(overallLevel(selfCheckItems(report({ portal: PORTAL, skewSeconds: 5 })))).toBe('ok');
  });
});

describe('selfCheckItems: the clock detail', () => {
  it('says the computer is ahead, by how much, compared with which portal', () => {
    expect(skew(200)).toEqual({
      id: 'clock',
      level: 'warning',
      title: ['checkClock'],
      detail: ['clockAhead', '200', PORTAL],
      fix: ['fixClock_win'],
    });
  });

  it('says the computer is behind, with the amount as a positive number', () => {
    expect(skew(-200)).toEqual({
      id: 'clock',
      level: 'warning',
      title: ['checkClock'],
      detail: ['clockBehind', '200', PORTAL],
      fix: ['fixClock_win'],
    });
  });

  it('uses the same keys for errors in both directions', () => {
    expect(skew(1_000)?.detail).toEqual(['clockAhead', '1000', PORTAL]);
    expect(skew(-1_000)?.detail).toEqual(['clockBehind', '1000', PORTAL]);
  });
});

describe('selfCheckItems: the clock fix per OS', () => {
  it.each([
    ['win', 'fixClock_win'],
    ['mac', 'fixClock_mac'],
    ['linux', 'fixClock_linux'],
    ['cros', 'fixClock_linux'],
    ['other', 'fixClock_linux'],
  ] as const)('on %s suggests %s', (os, fix) => {
    expect(skew(400, os)?.fix).toEqual([fix]);
    expect(skew(-100, os)?.fix).toEqual([fix]);
  });
});

describe('selfCheckItems: a portal whose time is unknown', () => {
  it('is a warning to check the portal address when the portal is unreachable', () => {
    expect(clockItem(report({ portal: PORTAL, error: 'unreachable' }))).toEqual({
      id: 'clock',
      level: 'warning',
      title: ['checkClock'],
      detail: ['clockUnreachable', PORTAL],
      fix: ['fixPortalAddress'],
    });
  });

  it('is a warning with clockUnknown when the portal gave no time', () => {
    expect(clockItem(report({ portal: PORTAL, error: 'no-time' }))).toEqual({
      id: 'clock',
      level: 'warning',
      title: ['checkClock'],
      detail: ['clockUnknown', PORTAL],
      fix: ['fixPortalAddress'],
    });
  });
});

describe('selfCheckItems: where the clock item appears', () => {
  it('is absent when the report has no clock check', () => {
    expect(clockItem(report(undefined))).toBeUndefined();
  });

  it('is present when the host is not installed', () => {
    const r = report(
      { portal: PORTAL, skewSeconds: -900 },
      { host: { ok: false, code: 'ERR_HOST_NOT_INSTALLED' }, status: undefined, certificates: undefined },
    );
    const items = selfCheckItems(r);
    expect(items.find((i) => i.id === 'host')?.level).toBe('error');
    expect(items.find((i) => i.id === 'clock')).toEqual({
      id: 'clock',
      level: 'error',
      title: ['checkClock'],
      detail: ['clockBehind', '900', PORTAL],
      fix: ['fixClock_win'],
    });
  });

  it.each(['ERR_HOST_INCOMPATIBLE', 'ERR_HOST_FAILED'] as const)(
    'is present when the host check failed with %s',
    (code) => {
      const items = selfCheckItems(report({ portal: PORTAL, skewSeconds: 0 }, { host: { ok: false, code } }));
      expect(items.find((i) => i.id === 'clock')?.level).toBe('ok');
    },
  );

  it('is present when the host works but gave no status', () => {
    const items = selfCheckItems(report({ portal: PORTAL, skewSeconds: 100 }, { status: undefined }));
    expect(items.find((i) => i.id === 'clock')?.level).toBe('warning');
  });

  it('comes before the host item, so a clerk sees it even when the host list is long', () => {
    const items = selfCheckItems(
      report({ portal: PORTAL, skewSeconds: 0 }, { host: { ok: false, code: 'ERR_HOST_NOT_INSTALLED' } }),
    );
    const ids = items.map((i) => i.id);
    expect(ids.indexOf('clock')).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf('clock')).toBeLessThan(ids.indexOf('host'));
  });
});
