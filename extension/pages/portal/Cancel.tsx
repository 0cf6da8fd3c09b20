/** 註銷單位註冊: what it means, then the unit's credential once more; the session ends with it. */
import { useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import type { PortalContext } from './context.ts';
import { passwordError, type FieldId } from './forms.ts';
import { ErrorAlert, Field, MethodChoice, prove, Screen, Status, useSend } from './ui.tsx';
import type { ProofMethod } from '../../../shared/portal/api.ts';

export function Cancel({ ctx }: { ctx: PortalContext }) {
  const [method, setMethod] = useState<ProofMethod>(ctx.session?.subject.kind ?? 'certificate');
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [confirmError, setConfirmError] = useState(false);
  const shown = (): FieldId[] => (method === 'nhi-card' ? ['password'] : []);
  const send = useSend(ctx.portal, shown, ctx.sessionLost);

  const submit = (event: Event) => {
    event.preventDefault();
    const found = method === 'nhi-card' ? passwordError(password) : undefined;
    setConfirmError(!understood);
    if (!send.check(found ? { password: found } : {})) return;
    if (!understood) {
      document.getElementById('confirm-cancel')?.focus();
      return;
    }
    void send.run(async () => {
      const proof = await prove(ctx.steps, send.setProgress, method, password, 'cancel');
      await ctx.api.cancelRegistration(proof);
      await ctx.loggedOut('portal_cancelDone');
    });
  };

  return (
    <Screen name="cancel" title={t('portal_cancelTitle')}>
      <p>{t('portal_cancelIntro', ctx.session?.unit.name ?? '', ctx.session?.unit.code ?? '')}</p>
      <ul>
        <li>{t('portal_cancelEffectClerks')}</li>
        <li>{t('portal_cancelEffectSessions')}</li>
        <li>{t('portal_cancelEffectRegisterAgain')}</li>
        <li>{t('portal_cancelEffectMail')}</li>
      </ul>
      <form onSubmit={submit} aria-busy={send.busy} noValidate>
        <MethodChoice
          id="cancel-method"
          label={t('portal_cancelMethod')}
          method={method}
          onChange={(next) => {
            setMethod(next);
            send.reset();
          }}
          certificateLabel={t('portal_methodUnitCertificate')}
          nhiLabel={t('portal_methodResponsibleNhi')}
        />
        {method === 'nhi-card' && (
          <Field
            id="password"
            type="password"
            label={t('portal_passwordLabel')}
            help={t('portal_passwordHelp')}
            autoComplete="current-password"
            value={password}
            onInput={setPassword}
            error={send.errors.password}
            announce={send.fromPortal}
          />
        )}
        <div class="field">
          <input
            type="checkbox"
            id="confirm-cancel"
            checked={understood}
            aria-invalid={confirmError ? 'true' : 'false'}
            aria-describedby={confirmError ? 'confirm-cancel-error' : undefined}
            onChange={(e) => {
              setUnderstood((e.target as HTMLInputElement).checked);
              setConfirmError(false);
            }}
          />{' '}
          <label for="confirm-cancel">{t('portal_cancelUnderstood')}</label>
          {confirmError && (
            <span class="field-error" id="confirm-cancel-error" role="alert">
              {t('portal_cancelConfirmRequired')}
            </span>
          )}
        </div>
        <ErrorAlert failure={send.failure} />
        <Status text={send.progress} />
        <div class="actions">
          <button type="submit" class="danger" data-action="cancel-registration">
            {t('portal_cancelSubmit')}
          </button>
          <a href="#/home">{t('portal_cancelBack')}</a>
        </div>
      </form>
    </Screen>
  );
}
