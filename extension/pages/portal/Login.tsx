/** 登入: the unit (unit certificate or responsible person's NHI card) or a clerk (own card). */
import { useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import type { PortalContext } from './context.ts';
import { loginBody, loginFields, unitCodeNeed, validateLogin, type LoginForm } from './forms.ts';
import { usePasswordSetupStep } from './NhiPassword.tsx';
import { PERSON_AUTHORITIES, UNIT_AUTHORITIES, WhereToApply } from './WhereToApply.tsx';
import { ErrorAlert, Field, MethodChoice, NhiPasswordField, prove, Screen, Status, useSend } from './ui.tsx';
import type { ProofMethod, Role } from '../../../shared/portal/api.ts';

export function Login({ ctx, notice }: { ctx: PortalContext; notice?: string | undefined }) {
  const [form, setForm] = useState<LoginForm>({
    role: 'clerk',
    method: 'certificate',
    unitCode: '',
    password: '',
  });
  const send = useSend(ctx.portal, () => loginFields(form));
  const setup = usePasswordSetupStep(ctx, (password) => {
    setForm({ ...form, method: 'nhi-card', password });
    send.reset();
  });
  const update = (patch: Partial<LoginForm>) => {
    setForm({ ...form, ...patch });
    if (patch.role || patch.method) send.reset();
  };

  if (setup.step) {
    return (
      <Screen name="login" title={t('portal_loginTitle')}>
        {setup.step}
      </Screen>
    );
  }

  const submit = (event: Event) => {
    event.preventDefault();
    if (!send.check(validateLogin(form))) return;
    void send.run(async () => {
      const purpose = form.role === 'unit' ? 'unit-login' : 'clerk-login';
      const proof = await prove(ctx.steps, send.setProgress, form.method, form.password, purpose);
      await ctx.loggedIn(await ctx.api.login(loginBody(form, proof)));
    });
  };

  const need = unitCodeNeed(form.role, form.method);
  const code = send.failure?.code;
  const roleOption = (role: Role, label: string) => (
    <label class="option">
      <input
        type="radio"
        id={`role-${role}`}
        name="role"
        value={role}
        checked={form.role === role}
        onChange={() => update({ role })}
      />{' '}
      {label}
    </label>
  );
  return (
    <Screen name="login" title={t('portal_loginTitle')}>
      {/* One current message: the note from before (logged out, password set) gives way to what happens now. */}
      {notice && !send.failure && !send.busy && !setup.passwordSet && (
        <p class="notice" role="status">
          {t(notice)}
        </p>
      )}
      <form onSubmit={submit} aria-busy={send.busy} noValidate>
        <fieldset>
          <legend>{t('portal_loginRole')}</legend>
          {roleOption('clerk', t('portal_roleClerk'))}
          {roleOption('unit', t('portal_roleUnit'))}
        </fieldset>
        <MethodChoice
          id="login-method"
          label={t('portal_loginMethod')}
          method={form.method}
          onChange={(method: ProofMethod) => update({ method })}
          certificateLabel={t(
            form.role === 'unit' ? 'portal_methodUnitCertificate' : 'portal_methodCitizenCertificate',
          )}
          nhiLabel={t(form.role === 'unit' ? 'portal_methodResponsibleNhi' : 'portal_methodOwnNhi')}
        />
        {need !== 'none' && (
          <Field
            id="unit-code"
            optional={need === 'optional'}
            label={t('portal_unitCodeLabel')}
            help={t(need === 'optional' ? 'portal_unitCodeClerkHelp' : 'portal_unitCodeHelp')}
            inputMode="numeric"
            value={form.unitCode}
            onInput={(unitCode) => update({ unitCode })}
            error={send.errors['unit-code']}
            announce={send.fromPortal}
          />
        )}
        {form.method === 'nhi-card' && (
          <>
            <NhiPasswordField
              value={form.password}
              onInput={(password) => update({ password })}
              error={send.errors.password}
              announce={send.fromPortal}
              {...(setup.passwordSet && !send.failure ? { done: t('portal_passwordSetDoneLogin') } : {})}
              onSetUp={setup.start}
            />
          </>
        )}
        <ErrorAlert failure={send.failure}>
          {code === 'ERR_PORTAL_UNIT_NOT_REGISTERED' && <a href="#/register">{t('portal_goToRegister')}</a>}
          {(code === 'ERR_CERTIFICATE_NOT_FOUND' ||
            code === 'ERR_PORTAL_CERT_NOT_UNIT' ||
            code === 'ERR_PORTAL_CERT_NOT_PERSON') && (
            <WhereToApply families={form.role === 'unit' ? UNIT_AUTHORITIES : PERSON_AUTHORITIES} open />
          )}
        </ErrorAlert>
        <Status text={send.progress} />
        <div class="actions">
          <button type="submit" data-action="login">
            {t('portal_loginSubmit')}
          </button>
        </div>
      </form>
      <p class="switch">
        <a href="#/register">{t('portal_noRegistration')}</a>
      </p>
    </Screen>
  );
}
