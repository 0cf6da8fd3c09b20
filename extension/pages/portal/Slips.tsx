/**
 * 電子繳款單申請及查詢: the address slips are mailed to (give, change, cancel), whether it is
 * confirmed, and which slip is mailed next and when.
 */
import { useEffect, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import type { PortalContext } from './context.ts';
import { emailError, EMAIL_MAX } from './forms.ts';
import { clerkDate, periodMonths } from './slipText.ts';
import { ErrorAlert, Field, Screen, Status, useSend } from './ui.tsx';
import type { SlipSubscriptionView } from '../../../shared/portal/slipsApi.ts';

export function Slips({ ctx }: { ctx: PortalContext }) {
  const [view, setView] = useState<SlipSubscriptionView | undefined>();
  const [email, setEmail] = useState('');
  const [done, setDone] = useState<string | undefined>();
  const loader = useSend(ctx.portal, () => [], ctx.sessionLost);
  const sender = useSend(ctx.portal, () => ['email'], ctx.sessionLost);
  const canceller = useSend(ctx.portal, () => [], ctx.sessionLost);

  useEffect(() => {
    void loader.run(async () => {
      loader.setProgress(t('portal_loading'));
      setView(await ctx.api.call('slipSubscription', {}));
    });
  }, []);

  const submit = (event: Event) => {
    event.preventDefault();
    const trimmed = email.trim();
    const problem = emailError(trimmed);
    if (!sender.check(problem ? { email: problem } : {})) return;
    void sender.run(async () => {
      sender.setProgress(t('portal_sending'));
      setView(await ctx.api.call('subscribeSlips', { body: { email: trimmed } }));
      setDone(t('portal_slipLinkSent', trimmed));
      setEmail('');
    });
  };

  const cancel = () =>
    void canceller.run(async () => {
      canceller.setProgress(t('portal_sending'));
      setView(await ctx.api.call('cancelSlipSubscription', {}));
      setDone(t('portal_slipCancelled'));
    });

  return (
    <Screen name="slips" title={t('portal_slipsTitle')}>
      <ErrorAlert failure={loader.failure} />
      <Status text={loader.progress} />
      {view && (
        <dl class="facts" data-slip-subscription data-active={view.active ? 'true' : 'false'}>
          <dt>{t('portal_slipAddress')}</dt>
          <dd data-slip-email>{view.active && view.email ? view.email : t('portal_slipNone')}</dd>
          {view.pendingEmail && view.pendingExpiresAt && (
            <>
              <dt>{t('portal_slipPending')}</dt>
              <dd data-slip-pending>
                {t('portal_slipPendingText', view.pendingEmail, clerkDate(view.pendingExpiresAt))}
              </dd>
            </>
          )}
          <dt>{t('portal_slipNext')}</dt>
          <dd data-slip-next>
            {view.active
              ? t(
                  'portal_slipNextText',
                  clerkDate(view.next.issueDate),
                  periodMonths(view.next),
                  clerkDate(view.next.dueDate),
                )
              : t('portal_slipNextNone', clerkDate(view.next.issueDate))}
          </dd>
          <dt>{t('portal_slipCycle')}</dt>
          <dd>{t(view.cycle === 'monthly' ? 'portal_slipMonthly' : 'portal_slipBimonthly')}</dd>
        </dl>
      )}
      {done && (
        <p class="notice" role="status" data-slip-done>
          {done}
        </p>
      )}
      <form onSubmit={submit} noValidate>
        <Field
          id="email"
          type="email"
          label={t(view?.active ? 'portal_slipChangeLabel' : 'portal_slipEmailLabel')}
          help={t('portal_slipEmailHelp')}
          autoComplete="email"
          inputMode="email"
          maxLength={EMAIL_MAX}
          value={email}
          onInput={setEmail}
          error={sender.errors.email}
          announce={sender.fromPortal}
        />
        <ErrorAlert failure={sender.failure} />
        <Status text={sender.progress} />
        <div class="actions">
          <button type="submit" data-action="subscribe" disabled={sender.busy}>
            {t('portal_slipSubmit')}
          </button>
        </div>
      </form>
      {view && (view.active || view.pendingEmail) && (
        <div class="actions">
          <ErrorAlert failure={canceller.failure} />
          <Status text={canceller.progress} />
          <button
            type="button"
            class="secondary"
            data-action="cancel-slips"
            disabled={canceller.busy}
            onClick={cancel}
          >
            {t('portal_slipCancel')}
          </button>
        </div>
      )}
      <p>
        <a href="#/home">{t('portal_goHome')}</a>
      </p>
    </Screen>
  );
}
