/**
 * The self-check as a list of items, each ok / warning / error with what to do about it, for the
 * clerk's OS. Pure: the page renders it, the copy-report uses it, tests check it.
 */
import type { LocalizedText } from '../../../shared/protocol/errors.ts';
import type { AUTHORITIES } from '../../../shared/pki/authorities.ts';
import { whereToApply } from '../../../shared/pki/authorities.ts';
import { certificateLabelText } from '../../../shared/pki/certificateLabel.ts';
import { certificateState, usableForLogin } from '../../../shared/pki/certificateUse.ts';
import { isUnitFamily } from '../../../shared/pki/families.ts';
import { certificatesFor, hasUsableKey } from '../../../shared/pki/taskCertificates.ts';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import type { ClockCheck } from '../../background/clockCheck.ts';
import { DEFAULT_PORTAL_ADDRESS } from '../../background/originPolicy.ts';
import { SUPPORTED_BROWSERS } from '../../lib/supportedBrowsers.ts';
import type { SelfCheckReport } from '../../lib/uiProtocol.ts';

/** `info`: worth knowing, neither right nor wrong (a certificate not meant for logging in). */
export type Level = 'ok' | 'info' | 'warning' | 'error';

/**
 * A message key (extension/_locales) with its substitutions: plain text, `@key` (another message) or
 * a text in both languages (names from the shared data).
 */
export type Part = string | LocalizedText;
export type Message = [string, ...Part[]];

export interface CheckItem {
  id: string;
  level: Level;
  title: Message;
  detail?: Message;
  fix?: Message;
}

const osKey = (os: SelfCheckReport['os']) => (os === 'win' || os === 'mac' ? os : 'linux');

/** Within a minute is fine; beyond 5 minutes (a nonce's lifetime) logins fail. */
export const CLOCK_WARNING_SECONDS = 60;
export const CLOCK_ERROR_SECONDS = 300;

function clockItem(clock: ClockCheck, os: 'win' | 'mac' | 'linux'): CheckItem {
  // NHI's portal, unreachable from here (offline, a closed network): not the clerk's problem.
  if (clock.skewSeconds === undefined && clock.portal === DEFAULT_PORTAL_ADDRESS) {
    return { id: 'clock', level: 'info', title: ['checkClock'], detail: ['clockNotNow'] };
  }
  if (clock.skewSeconds === undefined) {
    return {
      id: 'clock',
      level: 'warning',
      title: ['checkClock'],
      detail: [clock.error === 'no-time' ? 'clockUnknown' : 'clockUnreachable', clock.portal],
      fix: ['fixPortalAddress'],
    };
  }
  const off = Math.abs(clock.skewSeconds);
  if (off <= CLOCK_WARNING_SECONDS) {
    return { id: 'clock', level: 'ok', title: ['checkClock'], detail: ['clockOk', clock.portal] };
  }
  return {
    id: 'clock',
    level: off > CLOCK_ERROR_SECONDS ? 'error' : 'warning',
    title: ['checkClock'],
    detail: [clock.skewSeconds > 0 ? 'clockAhead' : 'clockBehind', String(off), clock.portal],
    fix: [`fixClock_${os}`],
  };
}

export function selfCheckItems(report: SelfCheckReport, now: Date = new Date()): CheckItem[] {
  const items: CheckItem[] = [];
  const os = osKey(report.os);

  const browserTitle: Message = ['checkBrowser', report.browser.name, report.browser.version];
  items.push(
    report.browser.supported
      ? {
          id: 'browser',
          level: 'ok',
          title: browserTitle,
          detail: ['checkBrowserSupported', supportedList()],
        }
      : {
          id: 'browser',
          level: 'warning',
          title: browserTitle,
          detail: [
            report.browser.name === 'Other' ? 'checkBrowserOther' : 'checkBrowserOld',
            report.browser.minimum,
            supportedList(),
          ],
          fix: ['fixUpdateBrowser', setupSteps(report.browser.name)],
        },
  );
  items.push({ id: 'extension', level: 'ok', title: ['checkExtension', report.extensionVersion] });
  if (report.clock) items.push(clockItem(report.clock, os));

  if (!report.host.ok) {
    const code = report.host.code;
    const which =
      code === 'ERR_HOST_NOT_INSTALLED'
        ? 'NotInstalled'
        : code === 'ERR_HOST_INCOMPATIBLE'
          ? 'Incompatible'
          : 'Failed';
    items.push({
      id: 'host',
      level: 'error',
      title: ['checkHost'],
      detail: [`checkHost${which}`],
      fix:
        which === 'NotInstalled'
          ? // The package names carry the version: the host to install is the extension's own.
            [`fixInstallHost_${os}`, report.extensionVersion]
          : which === 'Incompatible'
            ? ['fixUpdateBoth']
            : ['fixReinstallHost'],
    });
    // Only a browser that cannot start the host at all explains these two failures.
    if ((which === 'NotInstalled' || which === 'Failed') && os === 'linux') {
      items.push({
        id: 'sandboxed-browser',
        level: 'warning',
        title: ['checkSandboxedBrowser'],
        fix: ['fixSandboxedBrowser'],
      });
    }
    return items;
  }
  items.push({ id: 'host', level: 'ok', title: ['checkHostVersion', report.host.version] });

  const status = report.status;
  if (!status) {
    items.push({
      id: 'pcsc',
      level: 'error',
      title: ['checkPcsc'],
      detail: ['checkStatusFailed'],
      fix: ['fixReinstallHost'],
    });
    return items;
  }
  if (!status.pcsc.available) {
    items.push({
      id: 'pcsc',
      level: 'error',
      title: ['checkPcsc'],
      detail: ['checkPcscDown'],
      fix: [`fixStartService_${os}`],
    });
    return items;
  }
  items.push({ id: 'pcsc', level: 'ok', title: ['checkPcsc'] });

  if (status.readers.length === 0) {
    items.push({
      id: 'readers',
      level: 'error',
      title: ['checkReaders'],
      detail: ['checkNoReader'],
      fix: ['fixPlugReader'],
    });
  }
  // An empty reader is worth a warning only when no reader holds a card at all.
  const anyCard = status.readers.some((r) => r.cardPresent);
  for (const reader of status.readers) {
    if (!reader.cardPresent) {
      items.push({
        id: `reader:${reader.name}`,
        level: anyCard ? 'ok' : 'warning',
        title: ['checkReader', reader.name],
        detail: ['cardNone'],
        ...(anyCard ? {} : { fix: ['fixInsertCard'] as [string] }),
      });
      continue;
    }
    const type = reader.card?.type ?? 'unknown';
    items.push({
      id: `reader:${reader.name}`,
      level: type === 'unknown' ? 'warning' : 'ok',
      title: ['checkReader', reader.name],
      detail: [type === 'nhi' ? 'cardNhi' : type === 'pki' ? 'cardPki' : 'cardUnknown'],
      ...(type === 'unknown' ? { fix: ['fixReinsertCard'] as [string] } : {}),
    });
  }

  for (const certificate of report.certificates ?? []) items.push(certificateItem(certificate, now));
  items.push(...applyItems(report, now));
  for (const token of status.tokens.filter((t) => t.error)) {
    items.push({
      id: `token:${token.source}`,
      level: 'warning',
      title: ['checkTokenSource', token.source],
      fix: ['fixTokenSource'],
    });
  }
  return items;
}

type ListedCertificate = NonNullable<SelfCheckReport['certificates']>[number];

/** 115/12/02 for zh-TW, 2026/12/02 for English: the day in Taipei. */
function clerkDay(instant: string): LocalizedText {
  const day = taipeiDate(new Date(instant));
  return { 'zh-TW': formatClerkDate(day, 'roc'), en: formatClerkDate(day, 'gregorian') };
}

/**
 * Usable to log in: ✔ with what it is for. Valid but not for logging in (a CA certificate, no private
 * key): neutral, with the reason. Expired or not yet valid: an error.
 */
function certificateItem(certificate: ListedCertificate, now: Date): CheckItem {
  const state = certificateState(certificate, now);
  const title: Message = ['checkCertificate', certificateLabelText(certificate)];
  const id = `certificate:${certificate.id}`;
  const until = clerkDay(certificate.notAfter);
  if (state === 'expired' || state === 'not-yet-valid') {
    return {
      id,
      level: 'error',
      title,
      detail: [state === 'expired' ? 'certificateExpired' : 'certificateNotYetValid', until],
      fix: ['fixRenewCertificate'],
    };
  }
  if (!usableForLogin(certificate, now) || !hasUsableKey(certificate)) {
    const why = certificate.keyUsage.includes('keyCertSign')
      ? 'certificateIsAuthority'
      : !certificate.hasPrivateKey
        ? 'certificateNoKey'
        : 'certificateNoSignature';
    return { id, level: 'info', title, detail: ['certificateNotForLogin', `@${why}`] };
  }
  const kind = isUnitFamily(certificate.family) ? '@certificateKindUnit' : '@certificateKindPerson';
  return {
    id,
    level: state === 'expiring' ? 'warning' : 'ok',
    title,
    detail: ['certificateUsable', kind, until],
    ...(state === 'expiring' ? { fix: ['fixRenewCertificate'] as Message } : {}),
  };
}

/**
 * Where to apply, when no card here can do a unit's task, or a clerk's (an NHI card in a reader
 * also does a clerk's). Neutral: the clerk may simply not have inserted the card yet.
 */
function applyItems(report: SelfCheckReport, now: Date): CheckItem[] {
  const valid = (report.certificates ?? []).filter((c) => usableForLogin(c, now));
  const nhiCard = report.status?.readers.some((r) => r.card?.type === 'nhi') ?? false;
  const items: CheckItem[] = [];
  if (certificatesFor('unit-login', valid).length === 0) {
    items.push({
      id: 'apply:unit',
      level: 'info',
      title: ['checkNoUnitCertificate'],
      fix: ['fixApplyCertificate', applyText(['MOEACA', 'GCA', 'XCA'])],
    });
  }
  if (certificatesFor('clerk-login', valid).length === 0 && !nhiCard) {
    items.push({
      id: 'apply:person',
      level: 'info',
      title: ['checkNoPersonCertificate'],
      fix: ['fixApplyCertificate', applyText(['MOICA'])],
    });
  }
  return items;
}

/** The authorities' lines, both languages, from the shared data. */
function applyText(families: ReadonlyArray<keyof typeof AUTHORITIES>): LocalizedText {
  const lines = (language: keyof LocalizedText) =>
    families.map((f) => whereToApply(f, language)).join(language === 'zh-TW' ? '。 ' : '. ');
  return { 'zh-TW': lines('zh-TW'), en: lines('en') };
}

/** 「Chrome 116 以上、Edge 116 以上、Firefox 140 以上」, from the data. */
function supportedList(): LocalizedText {
  const list = (language: keyof LocalizedText) =>
    SUPPORTED_BROWSERS.map((b) =>
      language === 'zh-TW' ? `${b.name} ${b.minimum} 以上` : `${b.name} ${b.minimum} or later`,
    ).join(language === 'zh-TW' ? '、' : ', ');
  return { 'zh-TW': list('zh-TW'), en: list('en') };
}

/** How to set up this browser (or, for an unknown one, a supported one), from the data. */
function setupSteps(name: SelfCheckReport['browser']['name']): LocalizedText {
  return (SUPPORTED_BROWSERS.find((b) => b.name === name) ?? SUPPORTED_BROWSERS[0]).setup;
}

export function overallLevel(items: readonly CheckItem[]): Level {
  return items.some((i) => i.level === 'error')
    ? 'error'
    : items.some((i) => i.level === 'warning')
      ? 'warning'
      : 'ok';
}
