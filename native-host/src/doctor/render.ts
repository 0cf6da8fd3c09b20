/** Renders a doctor report for people (one language) or as JSON (both languages). */
import type { StatusResult } from '../../../shared/protocol/messages.ts';
import { HOST_MESSAGES, t, type Locale, type MessageKey } from '../i18n/messages.ts';
import { reportSummary, type DoctorReport } from './diagnose.ts';

export function renderText(status: StatusResult, report: DoctorReport, locale: Locale): string {
  const lines: string[] = [];
  lines.push(`${t(locale, 'doctor.title')} — ${t(locale, 'doctor.version')} ${status.version}`);
  lines.push('');
  for (const check of report.checks) {
    const mark = check.severity === 'ok' ? '✔' : check.severity === 'warning' ? '!' : '✘';
    const label = t(locale, `doctor.${check.severity}`);
    const subject = check.reader ?? check.browser;
    const where = subject ? ` (${subject})` : '';
    lines.push(
      `${mark} ${t(locale, check.title)}${where}: ${check.problem ? t(locale, check.problem) : label}`,
    );
    if (check.fix) lines.push(`    ${t(locale, 'doctor.fix')}: ${t(locale, check.fix)}`);
    if (check.detail) lines.push(`    (${check.detail})`);
  }
  if (status.readers.length > 0) {
    lines.push('');
    lines.push(`${t(locale, 'check.readers')}:`);
    for (const reader of status.readers) {
      const card = reader.cardPresent
        ? `${t(locale, `card.${reader.card?.type ?? 'unknown'}`)}${reader.card?.name ? ` — ${reader.card.name}` : ''} [ATR ${reader.atr ?? '?'}]`
        : t(locale, 'reader.empty');
      lines.push(`  • ${reader.name}: ${card}`);
    }
  }
  lines.push('');
  lines.push(t(locale, `doctor.${reportSummary(report)}`));
  return lines.join('\n');
}

const both = (key: MessageKey) => HOST_MESSAGES[key];

export function renderJson(status: StatusResult, report: DoctorReport): string {
  return JSON.stringify(
    {
      ok: report.ok,
      summary: reportSummary(report),
      status,
      checks: report.checks.map((c) => ({
        id: c.id,
        severity: c.severity,
        ...(c.reader ? { reader: c.reader } : {}),
        ...(c.browser ? { browser: c.browser } : {}),
        title: both(c.title),
        ...(c.problem ? { problem: both(c.problem) } : {}),
        ...(c.fix ? { fix: both(c.fix) } : {}),
        ...(c.detail ? { detail: c.detail } : {}),
      })),
    },
    null,
    2,
  );
}
