/**
 * Turns a status into the checks an IT person reads: what is wrong and how to fix it, for this OS.
 * Errors (no library, no service, no reader) make `doctor` exit non-zero; a missing or unknown card
 * is a warning, since a PC can be set up before anyone inserts a card.
 */
import type { StatusResult } from '../../../shared/protocol/messages.ts';
import type { MessageKey } from '../i18n/messages.ts';

export type Severity = 'ok' | 'warning' | 'error';

export interface DoctorCheck {
  id:
    | 'pcsc-library'
    | 'pcsc-service'
    | 'readers'
    | 'cards'
    | 'card-type'
    | 'token-source'
    | 'browser-registration'
    | 'sandboxed-browser';
  severity: Severity;
  title: MessageKey;
  problem?: MessageKey;
  fix?: MessageKey;
  /** Technical detail (error text from the service), for IT. */
  detail?: string;
  reader?: string;
  browser?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

/** The closing line: "all is well" only when no check is an error or a warning. */
export function reportSummary(report: DoctorReport): 'allGood' | 'warnings' | 'problems' {
  if (!report.ok) return 'problems';
  return report.checks.some((c) => c.severity === 'warning') ? 'warnings' : 'allGood';
}

export function isLibraryMissing(error: string | undefined): boolean {
  return (
    !!error &&
    /libpcsclite|cannot open shared object|Cannot find module|winscard|PCSC\.framework/i.test(error)
  );
}

/** Token modules and files that cannot be used: warnings, since the NHI card path does not need them. */
function tokenChecks(status: StatusResult): DoctorCheck[] {
  return status.tokens
    .filter((t) => t.error)
    .map((t) => ({
      id: 'token-source' as const,
      severity: 'warning' as const,
      title: 'check.tokens' as const,
      problem: t.kind === 'pkcs11' ? ('check.tokens.module' as const) : ('check.tokens.file' as const),
      fix: t.kind === 'pkcs11' ? ('fix.tokenModule' as const) : ('fix.tokenFile' as const),
      detail: `${t.source}: ${t.error}`,
    }));
}

export function diagnose(status: StatusResult, platform: NodeJS.Platform = process.platform): DoctorReport {
  const report = diagnoseCards(status, platform);
  report.checks.push(...tokenChecks(status));
  return report;
}

function diagnoseCards(status: StatusResult, platform: NodeJS.Platform): DoctorReport {
  const checks: DoctorCheck[] = [];
  const os = platform === 'win32' || platform === 'darwin' ? platform : 'linux';

  if (!status.pcsc.available && isLibraryMissing(status.pcsc.error)) {
    checks.push({
      id: 'pcsc-library',
      severity: 'error',
      title: 'check.pcscLibrary',
      problem: 'check.pcscLibrary.missing',
      fix: os === 'linux' ? 'fix.installPackages.linux' : 'fix.installPackages.other',
      detail: status.pcsc.error,
    });
    return { ok: false, checks };
  }
  checks.push({ id: 'pcsc-library', severity: 'ok', title: 'check.pcscLibrary' });

  if (!status.pcsc.available) {
    checks.push({
      id: 'pcsc-service',
      severity: 'error',
      title: 'check.pcscService',
      problem: 'check.pcscService.down',
      fix: `fix.startService.${os}`,
      detail: status.pcsc.error,
    });
    return { ok: false, checks };
  }
  checks.push({ id: 'pcsc-service', severity: 'ok', title: 'check.pcscService' });

  if (status.readers.length === 0) {
    checks.push({
      id: 'readers',
      severity: 'error',
      title: 'check.readers',
      problem: 'check.readers.none',
      fix: 'fix.plugReader',
    });
    return { ok: false, checks };
  }
  checks.push({ id: 'readers', severity: 'ok', title: 'check.readers' });

  const withCards = status.readers.filter((r) => r.cardPresent);
  if (withCards.length === 0) {
    checks.push({
      id: 'cards',
      severity: 'warning',
      title: 'check.cards',
      problem: 'check.cards.none',
      fix: 'fix.insertCard',
    });
  } else {
    checks.push({ id: 'cards', severity: 'ok', title: 'check.cards' });
  }
  for (const reader of withCards) {
    if (reader.card?.type === 'unknown') {
      checks.push({
        id: 'card-type',
        severity: 'warning',
        title: 'check.cards',
        problem: 'check.card.unknown',
        fix: 'fix.otherCard',
        reader: reader.name,
      });
    }
  }
  return { ok: !checks.some((c) => c.severity === 'error'), checks };
}
