/** 申報受理: the receipt of a signed submission (受理編號, state, each filing with its warnings or errors). */
import { useEffect, useState } from 'preact/hooks';
import { filingIssueMessage, type FilingIssueCode } from '../../../shared/filings/errors.ts';
import { FILING_KIND_LABELS, type FilingField, type FilingKind } from '../../../shared/filings/labels.ts';
import type { SubmissionView } from '../../../shared/portal/filingsApi.ts';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import { taipeiDate, taipeiNow } from '../../../shared/tw/taipeiTime.ts';
import { currentLanguage, t } from '../../lib/i18n.ts';
import type { PortalContext } from './context.ts';
import { ErrorAlert, Screen, Status, useSend } from './ui.tsx';

/** Message keys written out, so the catalogue check sees every one. */
const SUBMISSION_STATE_KEYS = {
  received: 'portal_submissionState_received',
  processed: 'portal_submissionState_processed',
} as const;
const FILING_STATE_KEYS = {
  received: 'portal_filingState_received',
  accepted: 'portal_filingState_accepted',
  rejected: 'portal_filingState_rejected',
} as const;

const lang = () => (currentLanguage() === 'zh_TW' ? 'zh-TW' : 'en');

/** 115/12/02 (2026/12/02) 14:30, Asia/Taipei. */
function taipeiText(isoTime: string): string {
  const at = new Date(isoTime);
  return `${formatClerkDate(taipeiDate(at), 'both')} ${taipeiNow(at).time}`;
}

export function Receipt(props: { ctx: PortalContext; submissionId: string; onAnother: () => void }) {
  const { ctx } = props;
  const [view, setView] = useState<SubmissionView | undefined>();
  const loader = useSend(ctx.portal, () => [], ctx.sessionLost);

  const load = () =>
    void loader.run(async () => {
      loader.setProgress(t('portal_loading'));
      setView(await ctx.api.submission(props.submissionId));
    });
  useEffect(load, [props.submissionId]);

  return (
    <Screen name="receipt" title={t('portal_receiptTitle')}>
      <ErrorAlert failure={loader.failure} />
      <Status text={loader.progress} />
      {view && (
        <>
          <p>{t('portal_receiptIntro')}</p>
          <dl class="facts">
            <dt>{t('portal_receiptNo')}</dt>
            <dd data-receipt-no>{view.receiptNo}</dd>
            <dt>{t('portal_receiptState')}</dt>
            <dd data-state={view.state}>{t(SUBMISSION_STATE_KEYS[view.state])}</dd>
            <dt>{t('portal_receiptReceivedAt')}</dt>
            <dd>{taipeiText(view.receivedAt)}</dd>
            <dt>{t('portal_receiptSigner')}</dt>
            <dd>{view.signer.label}</dd>
          </dl>
          <ul class="filings">
            {view.filings.map((f) => (
              <li
                key={f.seq}
                data-filing={f.seq}
                data-filing-state={f.state}
                data-late={f.late ? 'true' : undefined}
              >
                {FILING_KIND_LABELS[f.kind as FilingKind][lang()]} · {f.idNumber} ·{' '}
                {t(FILING_STATE_KEYS[f.state])}
                {f.issues.map((issue) => (
                  <p
                    key={`${issue.field}-${issue.code}`}
                    class={issue.severity === 'error' ? 'field-error' : 'notice'}
                    data-issue={issue.code}
                  >
                    {filingIssueMessage(issue.code as FilingIssueCode, issue.field as FilingField, lang())}
                  </p>
                ))}
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="actions">
        <button type="button" class="secondary" data-action="refresh-receipt" onClick={load}>
          {t('portal_receiptRefresh')}
        </button>
        <button type="button" data-action="another-filing" onClick={props.onAnother}>
          {t('portal_filingAnother')}
        </button>
      </div>
    </Screen>
  );
}
