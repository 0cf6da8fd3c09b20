/** 申報紀錄: the unit's filings with state, receipt number and signer; filters, pages and CSV. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import { FILING_KIND_LABELS, FILING_KINDS } from '../../../shared/filings/labels.ts';
import type { PortalReply } from '../../../shared/portal/api.ts';
import { FILING_STATES, type HistoryQuery } from '../../../shared/portal/queriesApi.ts';
import type { PortalContext } from './context.ts';
import {
  FilterInput,
  FilterSelect,
  MaskedId,
  Pager,
  clerkDay,
  clerkInstant,
  filled,
  filterRefusal,
  labelOf,
  revealFailure,
  saveFile,
} from './queriesUi.tsx';
import { ErrorAlert, Screen, Status, useSend } from './ui.tsx';

const FILTERS = ['idNumber', 'name', 'from', 'to', 'kind', 'state'] as const;
const STATE_KEYS = {
  received: 'portal_stateReceived',
  accepted: 'portal_stateAccepted',
  rejected: 'portal_stateRejected',
} as const;
const EMPTY = { idNumber: '', name: '', from: '', to: '', kind: '', state: '' };
type Filters = typeof EMPTY;

export function History({ ctx }: { ctx: PortalContext }) {
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [fullIds, setFullIds] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<PortalReply<'filingHistory'> | undefined>();
  const loader = useSend(ctx.portal, () => [], ctx.sessionLost);
  const exporter = useSend(ctx.portal, () => [], ctx.sessionLost);
  const revealer = useSend(ctx.portal, () => [], ctx.sessionLost);
  const set = (key: keyof Filters) => (value: string) => setFilters({ ...filters, [key]: value });
  // The selects only offer the shared enums, so their values are the query's own.
  const query = () => filled(filters) as Omit<HistoryQuery, 'page' | 'pageSize'>;

  const load = (page: number) =>
    void loader.run(async () => {
      loader.setProgress(t('portal_querySearching'));
      setErrors({});
      try {
        setResult(await ctx.api.filingHistory({ ...query(), page: String(page) }));
      } catch (error) {
        const refused = filterRefusal(error, FILTERS);
        if (!refused) throw error;
        setErrors(refused);
        document.getElementById(`history-${Object.keys(refused)[0]}`)?.focus();
      }
    });

  useEffect(() => load(1), []);

  const search = (event: Event) => {
    event.preventDefault();
    load(1);
  };

  const exportCsv = () =>
    void exporter.run(async () => {
      exporter.setProgress(t('portal_queryExporting'));
      const file = await ctx.api.historyExport({
        ...query(),
        ...(fullIds ? { idNumbers: 'full' as const } : {}),
      });
      saveFile(file, 'filings.csv');
      exporter.setProgress(undefined);
    });

  const revealFailed = revealFailure(ctx, revealer.setFailure);

  return (
    <Screen name="history" title={t('portal_historyTitle')}>
      <p>{t('portal_historyIntro')}</p>
      <nav class="actions" aria-label={t('portal_navLabel')}>
        <a href="#/home">{t('portal_goHome')}</a> <a href="#/roster">{t('portal_goRoster')}</a>
      </nav>
      <form
        role="search"
        aria-label={t('portal_queryFilters')}
        onSubmit={search}
        aria-busy={loader.busy}
        noValidate
      >
        <FilterInput
          id="history-idNumber"
          label={t('portal_colIdNumber')}
          help={t('portal_historyIdHelp')}
          value={filters.idNumber}
          maxLength={10}
          onInput={set('idNumber')}
          error={errors.idNumber}
        />
        <FilterInput
          id="history-name"
          label={t('portal_colName')}
          value={filters.name}
          maxLength={60}
          onInput={set('name')}
          error={errors.name}
        />
        <FilterInput
          id="history-from"
          type="date"
          label={t('portal_historyFrom')}
          value={filters.from}
          onInput={set('from')}
          error={errors.from}
        />
        <FilterInput
          id="history-to"
          type="date"
          label={t('portal_historyTo')}
          value={filters.to}
          onInput={set('to')}
          error={errors.to}
        />
        <FilterSelect
          id="history-kind"
          label={t('portal_colKindOfFiling')}
          value={filters.kind}
          options={FILING_KINDS.map((k) => ({ value: k, label: labelOf(FILING_KIND_LABELS[k]) }))}
          onChange={set('kind')}
        />
        <FilterSelect
          id="history-state"
          label={t('portal_colState')}
          value={filters.state}
          options={FILING_STATES.map((s) => ({ value: s, label: t(STATE_KEYS[s]) }))}
          onChange={set('state')}
        />
        <div class="actions">
          <button type="submit" data-action="search">
            {t('portal_querySearch')}
          </button>
        </div>
      </form>
      <ErrorAlert failure={loader.failure} />
      <Status text={loader.progress} />
      <ErrorAlert failure={revealer.failure} />
      {result && (
        <>
          <h2 id="history-result-title" data-total={result.total}>
            {t('portal_historyResult', result.total)}
          </h2>
          {result.filings.length === 0 ? (
            <p>{t('portal_queryNone')}</p>
          ) : (
            <table class="clerks query" aria-labelledby="history-result-title">
              <thead>
                <tr>
                  <th scope="col">{t('portal_colReceivedAt')}</th>
                  <th scope="col">{t('portal_colReceipt')}</th>
                  <th scope="col">{t('portal_colKindOfFiling')}</th>
                  <th scope="col">{t('portal_colIdNumber')}</th>
                  <th scope="col">{t('portal_colName')}</th>
                  <th scope="col">{t('portal_colEffective')}</th>
                  <th scope="col">{t('portal_colState')}</th>
                  <th scope="col">{t('portal_colSigner')}</th>
                </tr>
              </thead>
              <tbody>
                {result.filings.map((f) => (
                  <tr key={f.id} data-filing={f.id} data-state={f.state}>
                    <td>{clerkInstant(f.receivedAt)}</td>
                    <th scope="row" data-receipt>
                      {f.receiptNo}
                    </th>
                    <td>{labelOf(FILING_KIND_LABELS[f.kind])}</td>
                    <td>
                      <MaskedId
                        ctx={ctx}
                        source="filing"
                        id={f.id}
                        masked={f.idMasked}
                        name={f.personName ?? f.receiptNo}
                        onFailure={revealFailed}
                      />
                    </td>
                    <td>{f.personName ?? ''}</td>
                    <td>{clerkDay(f.effectiveDate)}</td>
                    <td>
                      {t(STATE_KEYS[f.state])}
                      {f.late && <span class="detail-inline">{t('portal_historyLate')}</span>}
                      {f.issues.length > 0 && (
                        <span class="detail-inline" data-issues>
                          {f.issues.map((i) => i.code).join(', ')}
                        </span>
                      )}
                    </td>
                    <td>
                      {f.signer.label}
                      <span class="detail-inline">
                        {t(f.signer.kind === 'certificate' ? 'portal_kindCertificate' : 'portal_kindNhi')}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager
            page={result.page}
            pageSize={result.pageSize}
            total={result.total}
            busy={loader.busy}
            onPage={load}
          />
        </>
      )}
      <h2>{t('portal_queryExportTitle')}</h2>
      <div class="field">
        <input
          type="checkbox"
          id="history-full-ids"
          checked={fullIds}
          onChange={(e) => setFullIds((e.target as HTMLInputElement).checked)}
        />{' '}
        <label for="history-full-ids">{t('portal_queryExportFullIds')}</label>
      </div>
      <ErrorAlert failure={exporter.failure} />
      <Status text={exporter.progress} />
      <div class="actions">
        <button type="button" data-action="export" disabled={exporter.busy} onClick={exportCsv}>
          {t('portal_queryExport')}
        </button>
      </div>
    </Screen>
  );
}
