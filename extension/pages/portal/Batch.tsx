/**
 * 媒體申報 (batch upload): the clerk downloads the template, chooses a CSV or .xlsx file, sees the
 * portal's report per row (row, field, what is wrong and what to do), then signs the whole file
 * (only when no row has an error) or only its valid rows, and gets the receipt (受理編號).
 */
import { useState } from 'preact/hooks';
import { FIELD_ERROR_CODES } from '../../../shared/fields/errors.ts';
import {
  FILING_CHECK_CODES,
  filingIssueMessage,
  type FilingIssueCode,
} from '../../../shared/filings/errors.ts';
import { FIELD_LABELS, type FilingField } from '../../../shared/filings/labels.ts';
import type { BatchPreviewReply } from '../../../shared/portal/batchesApi.ts';
import type { SubmitFilingsReply } from '../../../shared/portal/filingsApi.ts';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import { taipeiNow } from '../../../shared/tw/taipeiTime.ts';
import { currentLanguage, t } from '../../lib/i18n.ts';
import { batchSubmission, canSignWholeFile, previewBody, reportLines, type SignScope } from './batch.ts';
import type { PortalContext } from './context.ts';
import { signAndSubmit } from './signing.ts';
import { ErrorAlert, Screen, Status, useSend } from './ui.tsx';

const ISSUE_CODES: readonly string[] = [...FIELD_ERROR_CODES, ...FILING_CHECK_CODES];
const language = () => (currentLanguage() === 'zh_TW' ? 'zh-TW' : 'en');

function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Report({ preview }: { preview: BatchPreviewReply }) {
  const lines = reportLines(preview.report, language());
  return (
    <section aria-labelledby="batch-report-title" data-batch-report>
      <h2 id="batch-report-title">{t('portal_batchReportTitle')}</h2>
      <dl class="facts" data-batch-counts>
        <dt>{t('portal_batchFileName')}</dt>
        <dd>{preview.fileName}</dd>
        <dt>{t('portal_batchEncoding')}</dt>
        <dd>{t(`portal_batchEncoding_${preview.encoding.replaceAll('-', '_')}`)}</dd>
        <dt>{t('portal_batchRows')}</dt>
        <dd data-count="rows">{preview.counts.rows}</dd>
        <dt>{t('portal_batchValid')}</dt>
        <dd data-count="valid">{preview.counts.valid}</dd>
        <dt>{t('portal_batchRefused')}</dt>
        <dd data-count="refused">{preview.counts.refused}</dd>
        <dt>{t('portal_batchWarned')}</dt>
        <dd data-count="warned">{preview.counts.warned}</dd>
      </dl>
      {lines.length === 0 ? (
        <p data-batch-clean>{t('portal_batchNoProblems')}</p>
      ) : (
        <table class="batch-report">
          <caption>{t('portal_batchReportCaption', lines.length)}</caption>
          <thead>
            <tr>
              <th scope="col">{t('portal_batchColRow')}</th>
              <th scope="col">{t('portal_batchColField')}</th>
              <th scope="col">{t('portal_batchColKind')}</th>
              <th scope="col">{t('portal_batchColProblem')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, i) => (
              <tr key={i} data-row={line.row} data-severity={line.severity}>
                <th scope="row">{line.row}</th>
                <td>{line.field}</td>
                <td>{t(line.severity === 'error' ? 'portal_batchError' : 'portal_batchWarning')}</td>
                <td>{line.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Receipt({ reply, rows }: { reply: SubmitFilingsReply; rows: readonly number[] }) {
  const received = taipeiNow(new Date(reply.receivedAt));
  return (
    <section aria-labelledby="batch-receipt-title" data-batch-receipt>
      <h2 id="batch-receipt-title" tabIndex={-1}>
        {t('portal_batchReceiptTitle')}
      </h2>
      <dl class="facts">
        <dt>{t('portal_batchReceiptNo')}</dt>
        <dd data-receipt-no>{reply.receiptNo}</dd>
        <dt>{t('portal_batchReceivedAt')}</dt>
        <dd>{`${formatClerkDate(received.date, 'both')} ${received.time}`}</dd>
        <dt>{t('portal_batchFilingCount')}</dt>
        <dd data-filing-count>{reply.filingCount}</dd>
      </dl>
      {reply.warnings.length > 0 && (
        <ul data-receipt-warnings>
          {reply.warnings.map((w, i) => (
            <li key={i}>
              {t('portal_batchRowLabel', rows[w.seq - 1] ?? w.seq)}{' '}
              {ISSUE_CODES.includes(w.code) && w.field in FIELD_LABELS
                ? filingIssueMessage(w.code as FilingIssueCode, w.field as FilingField, language())
                : w.code}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Batch({ ctx }: { ctx: PortalContext }) {
  const [file, setFile] = useState<File | undefined>();
  const [preview, setPreview] = useState<BatchPreviewReply | undefined>();
  const [scope, setScope] = useState<SignScope>('valid');
  const [receipt, setReceipt] = useState<{ reply: SubmitFilingsReply; rows: number[] } | undefined>();
  /** What the last step did (the progress text ends with the step). */
  const [done, setDone] = useState<string | undefined>();
  const templates = useSend(ctx.portal, () => [], ctx.sessionLost);
  const checker = useSend(ctx.portal, () => [], ctx.sessionLost);
  const signer = useSend(ctx.portal, () => [], ctx.sessionLost);

  const template = (format: 'csv' | 'xlsx') =>
    void templates.run(async () => {
      const downloaded = await ctx.api.batchTemplate(format);
      saveFile(downloaded.blob, downloaded.fileName ?? `cardbridge-batch-template.${format}`);
    });

  const check = () =>
    void checker.run(async () => {
      setPreview(undefined);
      setReceipt(undefined);
      setDone(undefined);
      if (!file) {
        checker.setFailure({ key: 'portal_batchChooseFirst', params: [], code: 'validation' });
        document.getElementById('batch-file')?.focus();
        return;
      }
      checker.setProgress(t('portal_batchChecking'));
      const reply = await ctx.api.previewBatch(await previewBody(file));
      setPreview(reply);
      setScope(canSignWholeFile(reply) ? 'file' : 'valid');
      setDone(t('portal_batchChecked', reply.counts.valid, reply.counts.refused));
    });

  const sign = () =>
    void signer.run(async () => {
      const session = ctx.session;
      if (!preview || !session) return;
      const submission = batchSubmission(session.unit.code, preview, scope);
      if (!submission) return;
      signer.setProgress(t('portal_batchSigning', submission.filings.length));
      const reply = await signAndSubmit(ctx.api, submission, session.subject.kind);
      setReceipt({ reply, rows: preview.filings.map((f) => f.row) });
      setPreview(undefined);
      setFile(undefined);
      setDone(t('portal_batchSubmitted', reply.receiptNo));
      requestAnimationFrame(() => document.getElementById('batch-receipt-title')?.focus());
    });

  const wholeFile = preview ? canSignWholeFile(preview) : false;
  return (
    <Screen name="batch" title={t('portal_batchTitle')}>
      <p>{t('portal_batchIntro')}</p>
      <div class="actions">
        <button type="button" class="secondary" data-action="template-csv" onClick={() => template('csv')}>
          {t('portal_batchTemplateCsv')}
        </button>
        <button type="button" class="secondary" data-action="template-xlsx" onClick={() => template('xlsx')}>
          {t('portal_batchTemplateXlsx')}
        </button>
      </div>
      <ErrorAlert failure={templates.failure} />

      <div class="field">
        <label for="batch-file">{t('portal_batchFileLabel')}</label>
        <input
          id="batch-file"
          name="batch-file"
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-describedby="batch-file-help"
          onChange={(e) => {
            setFile((e.target as HTMLInputElement).files?.[0]);
            setPreview(undefined);
          }}
        />
        <span class="help" id="batch-file-help">
          {t('portal_batchFileHelp')}
        </span>
      </div>
      <div class="actions">
        <button type="button" data-action="check-batch" disabled={checker.busy} onClick={check}>
          {t('portal_batchCheck')}
        </button>
      </div>
      <ErrorAlert failure={checker.failure} />
      <Status text={checker.progress ?? done} />

      {preview && (
        <>
          <Report preview={preview} />
          {preview.filings.length > 0 && (
            <fieldset class="choice" data-sign-scope>
              <legend>{t('portal_batchScopeLabel')}</legend>
              <label>
                <input
                  type="radio"
                  name="scope"
                  value="file"
                  checked={scope === 'file'}
                  disabled={!wholeFile}
                  aria-describedby={wholeFile ? undefined : 'scope-file-help'}
                  onChange={() => setScope('file')}
                />
                {t('portal_batchScopeFile', preview.counts.rows)}
              </label>
              {!wholeFile && (
                <span class="help" id="scope-file-help">
                  {t('portal_batchScopeFileBlocked')}
                </span>
              )}
              <label>
                <input
                  type="radio"
                  name="scope"
                  value="valid"
                  checked={scope === 'valid'}
                  onChange={() => setScope('valid')}
                />
                {t('portal_batchScopeValid', preview.filings.length)}
              </label>
            </fieldset>
          )}
          {preview.filings.length > 0 && (
            <div class="actions">
              <button type="button" data-action="sign-batch" disabled={signer.busy} onClick={sign}>
                {t('portal_batchSign')}
              </button>
            </div>
          )}
        </>
      )}
      <ErrorAlert failure={signer.failure} />
      {signer.progress && <p class="progress">{signer.progress}</p>}
      {receipt && <Receipt reply={receipt.reply} rows={receipt.rows} />}

      <nav aria-label={t('portal_navLabel')}>
        <ul class="links">
          <li>
            <a href="#/home">{t('portal_backHome')}</a>
          </li>
        </ul>
      </nav>
    </Screen>
  );
}
