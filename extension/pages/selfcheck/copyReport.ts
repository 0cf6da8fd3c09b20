/**
 * "Copy report": a text summary and the JSON behind it, for IT. Personal data is masked: citizen
 * names, and the certificates themselves are left out.
 */
import type { SelfCheckReport } from '../../lib/uiProtocol.ts';
import { maskName } from '../../lib/mask.ts';
import type { CheckItem } from './checks.ts';

export type Translate = (key: string, ...substitutions: Array<string | number>) => string;

/** Substitutions starting with @ are message keys themselves (e.g. a family name). */
export function render(t: Translate, [key, ...subs]: readonly string[]): string {
  return t(key!, ...subs.map((s) => (s.startsWith('@') ? t(s.slice(1)) : s)));
}

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

export function textReport(t: Translate, report: SelfCheckReport, items: readonly CheckItem[]): string {
  const mark = { ok: '✔', warning: '!', error: '✘' } as const;
  const lines = [`${t('selfcheckTitle')} — ${report.generatedAt}`];
  for (const item of items) {
    const title = item.id.startsWith('certificate:')
      ? maskCertificateTitle(t, item, report)
      : render(t, item.title);
    lines.push(`${mark[item.level]} ${title}${item.detail ? ` — ${render(t, item.detail)}` : ''}`);
    if (item.fix) lines.push(`    ${t('fixLabel')}: ${render(t, item.fix)}`);
  }
  return lines.join('\n');
}

function maskCertificateTitle(t: Translate, item: CheckItem, report: SelfCheckReport): string {
  const id = item.id.slice('certificate:'.length);
  const certificate = report.certificates?.find((c) => c.id === id);
  if (!certificate || certificate.family !== 'MOICA') return render(t, item.title);
  const [key, family] = item.title;
  return render(t, [key, family!, maskName(certificate.subject.commonName)]);
}
