/**
 * "Copy report": a text summary and the JSON behind it, for IT. Personal data is masked: citizen
 * names, and the certificates themselves are left out.
 */
import { certificateLabelText } from '../../../shared/pki/certificateLabel.ts';
import type { LocalizedText } from '../../../shared/protocol/errors.ts';
import type { SelfCheckReport } from '../../lib/uiProtocol.ts';
import { maskName } from '../../lib/mask.ts';
import type { CheckItem, Message } from './checks.ts';

export type Translate = (key: string, ...substitutions: Array<string | number>) => string;
export type Language = keyof LocalizedText;

/**
 * Substitutions starting with @ are message keys themselves (e.g. a reason); texts in both
 * languages (names from the shared data) are taken in the page's language.
 */
export function render(t: Translate, [key, ...subs]: Message, language: Language): string {
  return t(
    key,
    ...subs.map((s) => (typeof s !== 'string' ? s[language] : s.startsWith('@') ? t(s.slice(1)) : s)),
  );
}

/** The mark beside each level: usable ✔, neutral –, look at it !, broken ✘. */
export const MARKS = { ok: '✔', info: '–', warning: '!', error: '✘' } as const;

export function maskedReport(report: SelfCheckReport): unknown {
  return {
    ...report,
    certificates: report.certificates?.map(({ certificate: _der, ...c }) => ({
      ...c,
      subject: {
        ...c.subject,
        commonName: c.family === 'MOICA' ? maskName(c.subject.commonName) : c.subject.commonName,
      },
    })),
  };
}

export function textReport(
  t: Translate,
  report: SelfCheckReport,
  items: readonly CheckItem[],
  language: Language,
): string {
  const lines = [`${t('selfcheckTitle')} — ${report.generatedAt}`];
  for (const item of items) {
    const title = item.id.startsWith('certificate:')
      ? maskCertificateTitle(t, item, report, language)
      : render(t, item.title, language);
    const detail = item.detail ? ` — ${render(t, item.detail, language)}` : '';
    lines.push(`${MARKS[item.level]} ${title}${detail}`);
    if (item.fix) lines.push(`    ${t('fixLabel')}: ${render(t, item.fix, language)}`);
  }
  return lines.join('\n');
}

function maskCertificateTitle(
  t: Translate,
  item: CheckItem,
  report: SelfCheckReport,
  language: Language,
): string {
  const id = item.id.slice('certificate:'.length);
  const certificate = report.certificates?.find((c) => c.id === id);
  if (!certificate || certificate.family !== 'MOICA') return render(t, item.title, language);
  const masked = { ...certificate, subject: { commonName: maskName(certificate.subject.commonName) } };
  return render(t, [item.title[0], certificateLabelText(masked)], language);
}
