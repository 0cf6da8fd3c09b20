/**
 * Parts the two query screens (Roster.tsx, History.tsx) share: filter inputs with their refusal,
 * the pager, a masked ID number with its 顯示 button, file saving, and dates the Taiwanese way.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { currentLanguage, t } from '../../lib/i18n.ts';
import type { LocalizedText } from '../../../shared/protocol/errors.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import type { RecordSource } from '../../../shared/portal/queriesApi.ts';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import { taipeiNow } from '../../../shared/tw/taipeiTime.ts';
import { isSessionLost, type DownloadedFile } from './api.ts';
import { describeFailure, type Failure } from './forms.ts';
import type { PortalContext } from './context.ts';

/** A shared label (kinds, relationships, states) in the page's language. */
export const labelOf = (label: LocalizedText): string =>
  label[currentLanguage() === 'zh_TW' ? 'zh-TW' : 'en'];

/** 115/12/02, as clerks read dates (shared/tw/clerkDate.ts). */
export const clerkDay = (iso: string | undefined): string => (iso ? formatClerkDate(iso, 'roc') : '');

/** 115/12/02 14:05, Taipei time. */
export function clerkInstant(iso: string): string {
  const taipei = taipeiNow(new Date(iso));
  return `${formatClerkDate(taipei.date, 'roc')} ${taipei.time}`;
}

/** The refusal of one filter (its query name → the message key), if the portal named a filter. */
export function filterRefusal(
  error: unknown,
  filters: readonly string[],
): Record<string, string> | undefined {
  if (error instanceof PortalError && error.field && filters.includes(error.field)) {
    return { [error.field]: error.code };
  }
  return undefined;
}

export function FilterInput(props: {
  id: string;
  label: string;
  help?: string;
  type?: 'text' | 'date';
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  maxLength?: number;
}) {
  const described = [props.help ? `${props.id}-help` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field filter">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.id}
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        maxLength={props.maxLength}
        autoComplete="off"
        spellcheck={false}
        aria-invalid={props.error ? 'true' : 'false'}
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.help && (
        <span class="help" id={`${props.id}-help`}>
          {props.help}
        </span>
      )}
      {props.error && (
        <span
          class="field-error"
          id={`${props.id}-error`}
          data-error-for={props.id}
          data-error={props.error}
          role="alert"
        >
          {t(props.error)}
        </span>
      )}
    </div>
  );
}

export function FilterSelect(props: {
  id: string;
  label: string;
  value: string;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (value: string) => void;
}) {
  return (
    <div class="field filter">
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        name={props.id}
        value={props.value}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        <option value="">{t('portal_queryAny')}</option>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** 上一頁 / 下一頁 with where the clerk is; buttons, so Enter and Space work. */
export function Pager(props: {
  page: number;
  pageSize: number;
  total: number;
  busy: boolean;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav class="pager" aria-label={t('portal_queryPages')}>
      <button
        type="button"
        class="secondary"
        data-action="previous-page"
        disabled={props.busy || props.page <= 1}
        onClick={() => props.onPage(props.page - 1)}
      >
        {t('portal_queryPrevious')}
      </button>
      <span data-page={props.page} data-pages={pages}>
        {t('portal_queryPageOf', props.page, pages, props.total)}
      </span>
      <button
        type="button"
        class="secondary"
        data-action="next-page"
        disabled={props.busy || props.page >= pages}
        onClick={() => props.onPage(props.page + 1)}
      >
        {t('portal_queryNext')}
      </button>
    </nav>
  );
}

/** A masked ID number; 顯示 asks the portal for the full one (the portal audits it). */
export function MaskedId(props: {
  ctx: PortalContext;
  source: RecordSource;
  id: string;
  masked: string;
  name: string;
  onFailure: (error: unknown) => void;
}) {
  const [full, setFull] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const shown = useRef<HTMLSpanElement>(null);
  // The 顯示 button is gone once pressed: keyboard focus moves to the number it revealed.
  useEffect(() => {
    if (full) shown.current?.focus();
  }, [full]);
  const reveal = async () => {
    if (busy) return;
    setBusy(true);
    try {
      setFull((await props.ctx.api.revealIdNumber({ source: props.source, id: props.id })).idNumber);
    } catch (error) {
      props.onFailure(error);
    } finally {
      setBusy(false);
    }
  };
  if (full) {
    return (
      <span class="id-number" data-revealed={props.id} tabIndex={-1} ref={shown}>
        {full}
      </span>
    );
  }
  return (
    <>
      <span class="id-number" data-masked={props.id}>
        {props.masked}
      </span>{' '}
      <button
        type="button"
        class="secondary small"
        data-action="reveal"
        aria-label={t('portal_queryRevealFor', props.name)}
        disabled={busy}
        onClick={() => void reveal()}
      >
        {t('portal_queryReveal')}
      </button>
    </>
  );
}

/** Saves a downloaded file under the name the portal suggested. */
export function saveFile(file: DownloadedFile, fallbackName: string): void {
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the file by the next task.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Only the filters the clerk filled in (URLs carry no empty values). */
export function filled<T extends Record<string, string>>(filters: T): Partial<T> {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim() !== '')) as Partial<T>;
}

/** What a failed 顯示 does: back to the login when the session is gone, else the alert above the list. */
export function revealFailure(ctx: PortalContext, show: (failure: Failure | undefined) => void) {
  return (error: unknown) => {
    if (isSessionLost(error)) void ctx.sessionLost();
    else show(describeFailure(error, [], ctx.portal));
  };
}
