/** `doctor`: status → checks (severity, fix per OS) → text in one language or JSON in both. */
import { describe, expect, it } from 'vitest';
import type { ReaderStatus, StatusResult } from '../../shared/protocol/messages.ts';
import {
  diagnose,
  isLibraryMissing,
  reportSummary,
  type DoctorCheck,
} from '../../native-host/src/doctor/diagnose.ts';
import { registrationChecks } from '../../native-host/src/doctor/registrationChecks.ts';
import { renderJson, renderText } from '../../native-host/src/doctor/render.ts';
import { HOST_MESSAGES } from '../../native-host/src/i18n/messages.ts';

const LIB_MISSING =
  'Error loading shared library libpcsclite.so.1: cannot open shared object file: No such file or directory';
const SERVICE_DOWN = 'SCardEstablishContext error: Service not available.(0x8010001d)';

function status(pcsc: StatusResult['pcsc'], readers: ReaderStatus[] = []): StatusResult {
  return { version: '0.1.0', protocol: 1, pcsc, readers, tokens: [] };
}

const nhiReader: ReaderStatus = {
  name: 'ACS ACR39U 00 00',
  cardPresent: true,
  atr: '3b9f',
  card: { type: 'nhi', identifiedBy: 'probe' },
};
const emptyReader: ReaderStatus = { name: 'Generic Reader 01 00', cardPresent: false };
const unknownReader: ReaderStatus = {
  name: 'Odd Reader 02 00',
  cardPresent: true,
  atr: '3b00',
  card: { type: 'unknown', identifiedBy: 'none' },
};

const SHAPES = {
  libraryMissing: status({ available: false, error: LIB_MISSING }),
  serviceDown: status({ available: false, error: SERVICE_DOWN }),
  noReaders: status({ available: true }),
  noCards: status({ available: true }, [emptyReader]),
  unknownCard: status({ available: true }, [unknownReader, emptyReader]),
  allGood: status({ available: true }, [nhiReader, emptyReader]),
};
const PLATFORMS = ['win32', 'darwin', 'linux'] as const;

const summary = (checks: DoctorCheck[]) => checks.map((c) => [c.id, c.severity, c.fix]);

describe('diagnose', () => {
  it.each([
    ['linux', 'fix.installPackages.linux'],
    ['win32', 'fix.installPackages.other'],
    ['darwin', 'fix.installPackages.other'],
  ] as const)('library missing on %s: one error, fix %s, with the loader text', (platform, fix) => {
    const report = diagnose(SHAPES.libraryMissing, platform);
    expect(report.ok).toBe(false);
    expect(report.checks).toEqual([
      {
        id: 'pcsc-library',
        severity: 'error',
        title: 'check.pcscLibrary',
        problem: 'check.pcscLibrary.missing',
        fix,
        detail: LIB_MISSING,
      },
    ]);
  });

  it.each(PLATFORMS)('service down on %s: library ok, service error with the OS-specific fix', (platform) => {
    const report = diagnose(SHAPES.serviceDown, platform);
    expect(report.ok).toBe(false);
    expect(summary(report.checks)).toEqual([
      ['pcsc-library', 'ok', undefined],
      ['pcsc-service', 'error', `fix.startService.${platform}`],
    ]);
    expect(report.checks[1]!.detail).toBe(SERVICE_DOWN);
    expect(report.checks[1]!.problem).toBe('check.pcscService.down');
  });

  it('treats other Unix platforms like Linux', () => {
    expect(diagnose(SHAPES.serviceDown, 'freebsd').checks[1]!.fix).toBe('fix.startService.linux');
    expect(diagnose(SHAPES.libraryMissing, 'freebsd').checks[0]!.fix).toBe('fix.installPackages.linux');
  });

  it('no readers: an error asking to plug one in', () => {
    const report = diagnose(SHAPES.noReaders, 'linux');
    expect(report.ok).toBe(false);
    expect(summary(report.checks)).toEqual([
      ['pcsc-library', 'ok', undefined],
      ['pcsc-service', 'ok', undefined],
      ['readers', 'error', 'fix.plugReader'],
    ]);
  });

  it('readers without cards: only a warning, so ok stays true', () => {
    const report = diagnose(SHAPES.noCards, 'win32');
    expect(report.ok).toBe(true);
    expect(summary(report.checks)).toEqual([
      ['pcsc-library', 'ok', undefined],
      ['pcsc-service', 'ok', undefined],
      ['readers', 'ok', undefined],
      ['cards', 'warning', 'fix.insertCard'],
    ]);
  });

  it('an unknown card: a warning naming its reader', () => {
    const report = diagnose(SHAPES.unknownCard, 'darwin');
    expect(report.ok).toBe(true);
    expect(summary(report.checks)).toEqual([
      ['pcsc-library', 'ok', undefined],
      ['pcsc-service', 'ok', undefined],
      ['readers', 'ok', undefined],
      ['cards', 'ok', undefined],
      ['card-type', 'warning', 'fix.otherCard'],
    ]);
    expect(report.checks[4]).toMatchObject({ reader: unknownReader.name, problem: 'check.card.unknown' });
  });

  it('all good: every check ok, no fixes', () => {
    const report = diagnose(SHAPES.allGood, 'linux');
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.severity)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(report.checks.every((c) => c.fix === undefined && c.problem === undefined)).toBe(true);
  });

  it('is ok exactly when no check is an error, for every shape and platform', () => {
    for (const shape of Object.values(SHAPES)) {
      for (const platform of PLATFORMS) {
        const report = diagnose(shape, platform);
        expect(report.ok).toBe(!report.checks.some((c) => c.severity === 'error'));
        // Every problem comes with a fix, and every fix key exists in the catalogue.
        for (const check of report.checks) {
          expect(check.severity === 'ok').toBe(check.fix === undefined);
          if (check.fix) expect(HOST_MESSAGES).toHaveProperty([check.fix]);
        }
      }
    }
  });
});

describe('isLibraryMissing', () => {
  it.each([
    [LIB_MISSING, true],
    ["Cannot find module '../build/Release/pcsclite.node'", true],
    ['dlopen(/System/Library/Frameworks/PCSC.framework/PCSC): image not found', true],
    [SERVICE_DOWN, false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (error, expected) => {
    expect(isLibraryMissing(error)).toBe(expected);
  });
});

describe('renderText', () => {
  it.each(PLATFORMS)('shows the library fix and the loader text on %s, in both languages', (platform) => {
    const report = diagnose(SHAPES.libraryMissing, platform);
    const fixKey = report.checks[0]!.fix!;
    for (const locale of ['en', 'zh-TW'] as const) {
      const text = renderText(SHAPES.libraryMissing, report, locale);
      expect(text).toContain(HOST_MESSAGES[fixKey][locale]);
      expect(text).toContain(HOST_MESSAGES['check.pcscLibrary.missing'][locale]);
      expect(text).toContain(LIB_MISSING);
      expect(text).toContain(HOST_MESSAGES['doctor.problems'][locale]);
    }
  });

  it('names the concrete commands in the service fixes', () => {
    const en = (platform: (typeof PLATFORMS)[number]) =>
      renderText(SHAPES.serviceDown, diagnose(SHAPES.serviceDown, platform), 'en');
    expect(en('win32')).toContain('sc start SCardSvr');
    expect(en('linux')).toContain('systemctl enable --now pcscd.socket');
    expect(en('linux')).not.toContain('SCardSvr');
    const zh = renderText(SHAPES.serviceDown, diagnose(SHAPES.serviceDown, 'linux'), 'zh-TW');
    expect(zh).toContain('請啟動 pcscd');
    expect(zh).toContain('解決方法');
  });

  it('renders each shape with its fix text and the right closing line', () => {
    for (const shape of Object.values(SHAPES)) {
      for (const platform of PLATFORMS) {
        const report = diagnose(shape, platform);
        for (const locale of ['en', 'zh-TW'] as const) {
          const text = renderText(shape, report, locale);
          expect(text.startsWith(HOST_MESSAGES['doctor.title'][locale])).toBe(true);
          for (const check of report.checks)
            if (check.fix) expect(text).toContain(HOST_MESSAGES[check.fix][locale]);
          const last = text.split('\n').at(-1);
          const closing = !report.ok
            ? 'doctor.problems'
            : report.checks.every((c) => c.severity === 'ok')
              ? 'doctor.allGood'
              : 'doctor.warnings';
          expect(last).toBe(HOST_MESSAGES[closing][locale]);
        }
      }
    }
  });

  it('lists readers with their cards', () => {
    const text = renderText(SHAPES.allGood, diagnose(SHAPES.allGood, 'linux'), 'zh-TW');
    expect(text).toContain(`${nhiReader.name}: 健保卡 [ATR 3b9f]`);
    expect(text).toContain(`${emptyReader.name}: （沒有卡片）`);
    const unknown = renderText(SHAPES.unknownCard, diagnose(SHAPES.unknownCard, 'linux'), 'en');
    expect(unknown).toContain(`(${unknownReader.name})`);
    expect(unknown).toContain('unknown card');
  });
});

describe('renderJson', () => {
  it.each(Object.entries(SHAPES))('%s: parses, carries ok, the status and both languages', (_, shape) => {
    const report = diagnose(shape, 'linux');
    const json = JSON.parse(renderJson(shape, report)) as {
      ok: boolean;
      status: StatusResult;
      checks: Array<{
        id: string;
        severity: string;
        title: { 'zh-TW': string; en: string };
        fix?: { 'zh-TW': string; en: string };
        problem?: { 'zh-TW': string; en: string };
        detail?: string;
        reader?: string;
      }>;
    };
    expect(json.ok).toBe(report.ok);
    expect(json.status).toEqual(shape);
    expect(json.checks.map((c) => [c.id, c.severity])).toEqual(report.checks.map((c) => [c.id, c.severity]));
    json.checks.forEach((c, i) => {
      const check = report.checks[i]!;
      expect(c.title).toEqual(HOST_MESSAGES[check.title]);
      if (check.fix) expect(c.fix).toEqual(HOST_MESSAGES[check.fix]);
      else expect(c).not.toHaveProperty('fix');
      if (check.problem) expect(c.problem).toEqual(HOST_MESSAGES[check.problem]);
      expect(c.detail).toBe(check.detail);
      expect(c.reader).toBe(check.reader);
    });
  });

  it('includes the zh-TW and English fix for a missing library', () => {
    const report = diagnose(SHAPES.libraryMissing, 'linux');
    const text = renderJson(SHAPES.libraryMissing, report);
    const json = JSON.parse(text) as { checks: Array<{ fix: { 'zh-TW': string; en: string } }> };
    expect(json.checks[0]!.fix['zh-TW']).toContain('請資訊人員安裝');
    expect(json.checks[0]!.fix.en).toContain('sudo apt-get install pcscd libpcsclite1');
  });
});

describe('diagnose: certificate tokens', () => {
  const withTokens = (tokens: StatusResult['tokens'], pcsc: StatusResult['pcsc'] = { available: true }) => ({
    ...status(pcsc, [nhiReader]),
    tokens,
  });

  it('warns about a PKCS#11 module or PKCS#12 file that cannot be used, with its fix, without failing', () => {
    const report = diagnose(
      withTokens([
        {
          kind: 'pkcs11',
          source: '/opt/HiCOS/libHicos_p11v1.so',
          error: 'cannot open shared object',
          tokens: [],
        },
        { kind: 'pkcs12', source: '/home/u/unit.p12', error: 'ENOENT', tokens: [] },
        { kind: 'pkcs11', source: '/usr/lib/ok.so', tokens: [{ label: 'card', serial: '1', pinpad: false }] },
      ]),
    );
    const tokenChecks = report.checks.filter((c) => c.id === 'token-source');
    expect(tokenChecks.map((c) => [c.severity, c.fix])).toEqual([
      ['warning', 'fix.tokenModule'],
      ['warning', 'fix.tokenFile'],
    ]);
    expect(tokenChecks[0]?.detail).toContain('/opt/HiCOS/libHicos_p11v1.so');
    expect(report.ok).toBe(true);
  });

  it('still reports token problems when the smart-card service is down', () => {
    const report = diagnose(
      withTokens([{ kind: 'pkcs11', source: '/x.so', error: 'crashed', tokens: [] }], {
        available: false,
        error: SERVICE_DOWN,
      }),
    );
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => c.id)).toContain('token-source');
  });
});

describe('browser registration checks', () => {
  const target = (browser: 'chrome' | 'firefox', scope: 'user' | 'system') => ({
    browser,
    family: browser === 'firefox' ? ('firefox' as const) : ('chromium' as const),
    scope,
    manifestPath: `/${scope}/${browser}/tw.cardbridge.host.json`,
    pruneUpTo: '/',
    source: 'https://example.org/doc',
  });

  it('is ok where a browser reaches this host, and warns, with where and a fix, where it does not', () => {
    const checks = registrationChecks({
      browsers: [
        {
          browser: 'chrome',
          statuses: [
            { target: target('chrome', 'user'), state: 'absent' },
            {
              target: target('chrome', 'system'),
              state: 'registered',
              manifestPath: '/system/chrome/m.json',
            },
          ],
        },
        {
          browser: 'firefox',
          statuses: [
            {
              target: target('firefox', 'user'),
              state: 'elsewhere',
              manifestPath: '/user/firefox/m.json',
              hostPath: '/opt/other',
            },
            { target: target('firefox', 'system'), state: 'absent' },
          ],
        },
      ],
      sandboxed: [{ browser: 'chromium', packaging: 'snap', where: '/snap/chromium/current' }],
    });
    expect(checks.map((c) => [c.browser, c.severity, c.problem, c.detail])).toEqual([
      ['chrome', 'ok', undefined, '/system/chrome/m.json'],
      ['firefox', 'warning', 'check.browser.elsewhere', '/user/firefox/m.json → /opt/other'],
      ['chromium (snap)', 'warning', 'check.browser.sandboxed', '/snap/chromium/current'],
    ]);
    for (const check of checks) if (check.fix) expect(HOST_MESSAGES).toHaveProperty([check.fix]);
  });

  it('never closes with "all is well" while a warning stands', () => {
    const report = diagnose(SHAPES.allGood, 'linux');
    expect(reportSummary(report)).toBe('allGood');
    report.checks.push(
      ...registrationChecks({
        browsers: [{ browser: 'chrome', statuses: [{ target: target('chrome', 'user'), state: 'absent' }] }],
        sandboxed: [],
      }),
    );
    expect(report.ok).toBe(true);
    expect(reportSummary(report)).toBe('warnings');
    expect(renderText(SHAPES.allGood, report, 'en').split('\n').at(-1)).toBe(
      HOST_MESSAGES['doctor.warnings'].en,
    );
    expect(JSON.parse(renderJson(SHAPES.allGood, report))).toMatchObject({ ok: true, summary: 'warnings' });
  });
});
