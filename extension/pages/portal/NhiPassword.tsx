/** 健保卡註冊: the first web password of an NHI card, set with the card's proof. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import type { PortalContext } from './context.ts';
import { validatePasswordSetup, type FieldId } from './forms.ts';
import { ErrorAlert, Field, focusElement, prove, Status, useSend } from './ui.tsx';

const FIELDS: readonly FieldId[] = ['password', 'password-confirm'];

export function NhiPasswordSetup(props: {
  ctx: PortalContext;
  onDone: (password: string) => void;
  onBack: () => void;
}) {
  const { ctx } = props;
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const send = useSend(ctx.portal, () => FIELDS);
  const heading = useRef<HTMLHeadingElement>(null);
  // The button that opened this step is gone: keyboard focus starts at the step's heading.
  useEffect(() => heading.current?.focus(), []);

  const submit = (event: Event) => {
    event.preventDefault();
    if (!send.check(validatePasswordSetup({ password, confirm }))) return;
    void send.run(async () => {
      const proof = await prove(ctx.steps, send.setProgress, 'nhi-card', password, 'set-password');
      if (proof.kind !== 'nhi-card') throw new Error('an NHI card proof was asked for');
      await ctx.api.setNhiCardPassword(proof);
      props.onDone(password);
    });
  };

  return (
    <div data-step="nhi-password">
      <h2 tabIndex={-1} ref={heading}>
        {t('portal_passwordSetupTitle')}
      </h2>
      <p>{t('portal_passwordSetupIntro')}</p>
      <form onSubmit={submit} aria-busy={send.busy} noValidate>
        <Field
          id="password"
          type="password"
          label={t('portal_newPasswordLabel')}
          help={t('portal_passwordHelp')}
          autoComplete="new-password"
          value={password}
          onInput={setPassword}
          error={send.errors.password}
          announce={send.fromPortal}
        />
        <Field
          id="password-confirm"
          type="password"
          label={t('portal_passwordConfirmLabel')}
          autoComplete="new-password"
          value={confirm}
          onInput={setConfirm}
          error={send.errors['password-confirm']}
          announce={send.fromPortal}
        />
        <ErrorAlert failure={send.failure} />
        <Status text={send.progress} />
        <div class="actions">
          <button type="submit" data-action="set-password">
            {t('portal_passwordSetupSubmit')}
          </button>
          <button type="button" class="secondary" data-action="back" onClick={props.onBack}>
            {t('portal_back')}
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * The password set-up as a step of another form (register, login): `start` opens it in place of the
 * form; "back" returns to the form, and a password set is handed to `onSet` and said beside the field.
 */
export function usePasswordSetupStep(ctx: PortalContext, onSet: (password: string) => void) {
  const [open, setOpen] = useState(false);
  const [passwordSet, setPasswordSet] = useState(false);
  const step = open ? (
    <NhiPasswordSetup
      ctx={ctx}
      onBack={() => {
        setOpen(false);
        focusElement('set-password-step');
      }}
      onDone={(password) => {
        onSet(password);
        setPasswordSet(true);
        setOpen(false);
        focusElement('password');
      }}
    />
  ) : undefined;
  return { step, passwordSet, start: () => setOpen(true) };
}
