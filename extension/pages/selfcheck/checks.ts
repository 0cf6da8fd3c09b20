/**
 * The self-check as a list of items, each ok / warning / error with what to do about it, for the
 * clerk's OS. Pure: the page renders it, the copy-report uses it, tests check it.
 */
import { certificateState, usableForLogin } from '../../../shared/pki/certificateUse.ts';
import type { ClockCheck } from '../../background/clockCheck.ts';
import type { SelfCheckReport } from '../../lib/uiProtocol.ts';

export type Level = 'ok' | 'warning' | 'error';

export interface CheckItem {
  id: string;
  level: Level;
  /** Message keys (extension/_locales) with their substitutions. */
  title: [string, ...string[]];
  detail?: [string, ...string[]];
  fix?: [string, ...string[]];
}

const osKey = (os: SelfCheckReport['os']) => (os === 'win' || os === 'mac' ? os : 'linux');

/** Within a minute is fine; beyond 5 minutes (a nonce's lifetime) logins fail. */
export const CLOCK_WARNING_SECONDS = 60;
export const CLOCK_ERROR_SECONDS = 300;

function clockItem(clock: ClockCheck, os: 'win' | 'mac' | 'linux'): CheckItem {
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

  items.push(
    report.browser.supported
      ? { id: 'browser', level: 'ok', title: ['checkBrowser', report.browser.name, report.browser.version] }
      : {
          id: 'browser',
          level: 'warning',
          title: ['checkBrowser', report.browser.name, report.browser.version],
          detail: ['checkBrowserOld', report.browser.minimum],
          fix: ['fixUpdateBrowser'],
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
    if (which === 'NotInstalled' && os === 'linux') {
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

  for (const certificate of report.certificates ?? []) {
    const state = certificateState(certificate, now);
    const level: Level = state === 'valid' ? 'ok' : state === 'expiring' ? 'warning' : 'error';
    items.push({
      id: `certificate:${certificate.id}`,
      level,
      title: ['checkCertificate', `@family${certificate.family}`, certificate.subject.commonName],
      detail: [
        usableForLogin(certificate, now) ? 'certificateUsable' : 'certificateNotForLogin',
        certificate.notAfter.slice(0, 10),
      ],
      ...(state === 'expiring' || state === 'expired' ? { fix: ['fixRenewCertificate'] as [string] } : {}),
    });
  }
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

export function overallLevel(items: readonly CheckItem[]): Level {
  return items.some((i) => i.level === 'error')
    ? 'error'
    : items.some((i) => i.level === 'warning')
      ? 'warning'
      : 'ok';
}
