/** 投保名冊: the unit's insured persons with their dependants, today or as of a day; pages and CSV. */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import { RELATIONSHIPS } from '../../../shared/filings/codes.ts';
import type { PortalReply } from '../../../shared/portal/api.ts';
import type { RosterEntry } from '../../../shared/portal/queriesApi.ts';
import type { PortalContext } from './context.ts';
import {
  FilterInput,
  MaskedId,
  Pager,
  clerkDay,
  filled,
  filterRefusal,
  labelOf,
  revealFailure,
  saveFile,
} from './queriesUi.tsx';
import { ErrorAlert, Screen, Status, useSend } from './ui.tsx';

const FILTERS = ['asOf', 'q'] as const;
const relationshipLabel = (code: string) => {
  const found = RELATIONSHIPS.find((r) => r.code === code);
  return found ? labelOf(found.label) : code;
};
const amount = (value: number) => value.toLocaleString('en-US');

function PersonRows({
  ctx,
  person,
  onFailure,
}: {
  ctx: PortalContext;
  person: RosterEntry;
  onFailure: (e: unknown) => void;
}) {
  return (
    <>
      <tr data-person={person.id}>
        <td>
          <MaskedId
            ctx={ctx}
            source="insured"
            id={person.id}
            masked={person.idMasked}
            name={person.name}
            onFailure={onFailure}
          />
        </td>
        <th scope="row">{person.name}</th>
        <td>{clerkDay(person.birthDate)}</td>
        <td>{t(person.scheme === 'joint' ? 'portal_querySchemeJoint' : 'portal_querySchemeNhi')}</td>
        <td class="number">{amount(person.insuredAmount)}</td>
        <td>{clerkDay(person.fromDate)}</td>
        <td>{clerkDay(person.toDate)}</td>
      </tr>
      {person.dependants.map((d) => (
        <tr key={d.id} class="dependant" data-dependant={d.id}>
          <td>
            <MaskedId
              ctx={ctx}
              source="dependant"
              id={d.id}
              masked={d.idMasked}
              name={d.name}
              onFailure={onFailure}
            />
          </td>
          <th scope="row">{t('portal_queryDependantOf', d.name, relationshipLabel(d.relationship))}</th>
          <td>{clerkDay(d.birthDate)}</td>
          <td colSpan={2}>{t('portal_queryDependant')}</td>
          <td>{clerkDay(d.fromDate)}</td>
          <td>{clerkDay(d.toDate)}</td>
        </tr>
      ))}
    </>
  );
}

export function Roster({ ctx }: { ctx: PortalContext }) {
  const [asOf, setAsOf] = useState('');
  const [q, setQ] = useState('');
  const [fullIds, setFullIds] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [result, setResult] = useState<PortalReply<'roster'> | undefined>();
  const loader = useSend(ctx.portal, () => [], ctx.sessionLost);
  const exporter = useSend(ctx.portal, () => [], ctx.sessionLost);
  const revealer = useSend(ctx.portal, () => [], ctx.sessionLost);

  const load = (page: number) =>
    void loader.run(async () => {
      loader.setProgress(t('portal_querySearching'));
      setErrors({});
      try {
        setResult(await ctx.api.roster({ ...filled({ asOf, q }), page: String(page) }));
      } catch (error) {
        const refused = filterRefusal(error, FILTERS);
        if (!refused) throw error;
        setErrors(refused);
        document.getElementById(`roster-${Object.keys(refused)[0]}`)?.focus();
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
      const file = await ctx.api.rosterExport({
        ...filled({ asOf, q }),
        ...(fullIds ? { idNumbers: 'full' as const } : {}),
      });
      saveFile(file, 'roster.csv');
      exporter.setProgress(undefined);
    });

  const revealFailed = revealFailure(ctx, revealer.setFailure);

  return (
    <Screen name="roster" title={t('portal_rosterTitle')}>
      <p>{t('portal_rosterIntro')}</p>
      <nav class="actions" aria-label={t('portal_navLabel')}>
        <a href="#/home">{t('portal_goHome')}</a> <a href="#/history">{t('portal_goHistory')}</a>
      </nav>
      <form
        role="search"
        aria-label={t('portal_queryFilters')}
        onSubmit={search}
        aria-busy={loader.busy}
        noValidate
      >
        <FilterInput
          id="roster-asOf"
          type="date"
          label={t('portal_rosterAsOf')}
          help={t('portal_rosterAsOfHelp')}
          value={asOf}
          onInput={setAsOf}
          error={errors.asOf}
        />
        <FilterInput
          id="roster-q"
          label={t('portal_rosterSearch')}
          help={t('portal_rosterSearchHelp')}
          value={q}
          maxLength={60}
          onInput={setQ}
          error={errors.q}
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
          <h2 id="roster-result-title" data-as-of={result.asOf} data-total={result.total}>
            {t('portal_rosterResult', clerkDay(result.asOf), result.total)}
          </h2>
          {result.persons.length === 0 ? (
            <p>{t('portal_queryNone')}</p>
          ) : (
            <table class="clerks query" aria-labelledby="roster-result-title">
              <thead>
                <tr>
                  <th scope="col">{t('portal_colIdNumber')}</th>
                  <th scope="col">{t('portal_colName')}</th>
                  <th scope="col">{t('portal_colBirthDate')}</th>
                  <th scope="col">{t('portal_colScheme')}</th>
                  <th scope="col">{t('portal_colInsuredAmount')}</th>
                  <th scope="col">{t('portal_colFrom')}</th>
                  <th scope="col">{t('portal_colUntil')}</th>
                </tr>
              </thead>
              <tbody>
                {result.persons.map((person) => (
                  <PersonRows key={person.id} ctx={ctx} person={person} onFailure={revealFailed} />
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
          id="roster-full-ids"
          checked={fullIds}
          onChange={(e) => setFullIds((e.target as HTMLInputElement).checked)}
        />{' '}
        <label for="roster-full-ids">{t('portal_queryExportFullIds')}</label>
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
