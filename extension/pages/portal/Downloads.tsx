/**
 * 下載區: the unit's slips and statements (保費明細表, 員工保費計算彙總表) from January of last year
 * up to the latest 20th; each file is fetched with the session and saved by the browser.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import type { PortalContext } from './context.ts';
import { clerkDate, periodMonths } from './slipText.ts';
import { ErrorAlert, Screen, Status, useSend } from './ui.tsx';
import type { PortalReply } from '../../../shared/portal/api.ts';
import type { SlipPeriodView } from '../../../shared/portal/slipsApi.ts';

type Document =
  | { route: 'slipPdf'; key: string }
  | { route: 'statementPdf' | 'statementCsv'; kind: 'detail' | 'summary'; key: string };

const DOCUMENTS: readonly Document[] = [
  { route: 'slipPdf', key: 'portal_downloadSlip' },
  { route: 'statementPdf', kind: 'detail', key: 'portal_downloadDetailPdf' },
  { route: 'statementCsv', kind: 'detail', key: 'portal_downloadDetailCsv' },
  { route: 'statementPdf', kind: 'summary', key: 'portal_downloadSummaryPdf' },
  { route: 'statementCsv', kind: 'summary', key: 'portal_downloadSummaryCsv' },
];

/** Hands a fetched file to the browser's downloads (an object URL, released right after). */
function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function Downloads({ ctx }: { ctx: PortalContext }) {
  const [list, setList] = useState<PortalReply<'slipPeriods'> | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const loader = useSend(ctx.portal, () => [], ctx.sessionLost);
  const getter = useSend(ctx.portal, () => [], ctx.sessionLost);

  useEffect(() => {
    void loader.run(async () => {
      loader.setProgress(t('portal_loading'));
      setList(await ctx.api.call('slipPeriods', {}));
    });
  }, []);

  const fetchDocument = (period: SlipPeriodView, document: Document) =>
    void getter.run(async () => {
      setSaved(undefined);
      getter.setProgress(t('portal_downloading'));
      const file =
        document.route === 'slipPdf'
          ? await ctx.api.download('slipPdf', { params: { period: period.id } })
          : await ctx.api.download(document.route, { params: { period: period.id, kind: document.kind } });
      const name = file.fileName ?? `${period.id}.${document.route === 'statementCsv' ? 'csv' : 'pdf'}`;
      save(file.blob, name);
      setSaved(t('portal_downloaded', name));
    });

  return (
    <Screen name="downloads" title={t('portal_downloadsTitle')}>
      <ErrorAlert failure={loader.failure} />
      <Status text={loader.progress} />
      {list && <p>{t('portal_downloadsIntro', clerkDate(`${list.retainedFrom}-01`))}</p>}
      <ErrorAlert failure={getter.failure} />
      <Status text={getter.progress} />
      {saved && (
        <p class="notice" role="status" data-downloaded>
          {saved}
        </p>
      )}
      {list && (
        <table class="list" data-slip-periods>
          <thead>
            <tr>
              <th scope="col">{t('portal_slipPeriod')}</th>
              <th scope="col">{t('portal_slipIssued')}</th>
              <th scope="col">{t('portal_slipDue')}</th>
              <th scope="col">{t('portal_slipFiles')}</th>
            </tr>
          </thead>
          <tbody>
            {list.periods.map((period) => (
              <tr key={period.id} data-period={period.id}>
                <th scope="row">{periodMonths(period)}</th>
                <td>{clerkDate(period.issueDate)}</td>
                <td>{clerkDate(period.dueDate)}</td>
                <td>
                  {DOCUMENTS.map((d) => (
                    <button
                      key={d.key}
                      type="button"
                      class="secondary"
                      data-download={`${d.route}${'kind' in d ? `-${d.kind}` : ''}`}
                      disabled={getter.busy}
                      onClick={() => fetchDocument(period, d)}
                    >
                      {t(d.key)}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <a href="#/home">{t('portal_goHome')}</a>
      </p>
    </Screen>
  );
}
