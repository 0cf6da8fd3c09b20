/** 單位註冊: the unit registers with its unit certificate or its responsible person's NHI card. */
import { useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import type { PortalContext } from './context.ts';
import { registerBody, registerFields, validateRegister, type RegisterForm } from './forms.ts';
import { usePasswordSetupStep } from './NhiPassword.tsx';
import { UNIT_AUTHORITIES, WhereToApply } from './WhereToApply.tsx';
import { ErrorAlert, Field, MethodChoice, NhiPasswordField, prove, Screen, Status, useSend } from './ui.tsx';
import type { PortalReply, ProofMethod } from '../../../shared/portal/api.ts';

function Result({ result }: { result: PortalReply<'register'> }) {
  const approved = result.registration.status === 'active';
  return (
    <div class="result" data-result={approved ? 'approved' : result.registration.status} role="status">
      <h2>{t(approved ? 'portal_registerApproved' : 'portal_registerNotApproved')}</h2>
      <p data-unit-name>{t('portal_registerUnitLine', result.unit.name, result.unit.code)}</p>
      <p>
        {result.registration.contactEmail
          ? t('portal_registerMailSent', result.registration.contactEmail)
          : t('portal_registerMailSentUnit')}
      </p>
      <p>
        <a href="#/login">{t('portal_goToLogin')}</a>
      </p>
    </div>
  );
}

export function Register({ ctx }: { ctx: PortalContext }) {
  const [form, setForm] = useState<RegisterForm>({
    method: 'certificate',
    unitCode: '',
    password: '',
    email: '',
  });
  const [result, setResult] = useState<PortalReply<'register'> | undefined>();
  const send = useSend(ctx.portal, () => registerFields(form.method));
  const setup = usePasswordSetupStep(ctx, (password) => {
    setForm({ ...form, method: 'nhi-card', password });
    send.reset();
  });
  const update = (patch: Partial<RegisterForm>) => setForm({ ...form, ...patch });

  if (result) {
    return (
      <Screen name="register" title={t('portal_registerTitle')}>
        <Result result={result} />
      </Screen>
    );
  }

  if (setup.step) {
    return (
      <Screen name="register" title={t('portal_registerTitle')}>
        {setup.step}
      </Screen>
    );
  }

  const chooseMethod = (method: ProofMethod) => {
    update({ method });
    send.reset();
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (!send.check(validateRegister(form))) return;
    void send.run(async () => {
      const proof = await prove(ctx.steps, send.setProgress, form.method, form.password, 'register');
      setResult(await ctx.api.register(registerBody(form, proof)));
    });
  };

  const nhi = form.method === 'nhi-card';
  const code = send.failure?.code;
  return (
    <Screen name="register" title={t('portal_registerTitle')}>
      <p>{t('portal_registerIntro')}</p>
      <form onSubmit={submit} aria-busy={send.busy} noValidate>
        <MethodChoice
          id="register-method"
          label={t('portal_registerMethod')}
          method={form.method}
          onChange={chooseMethod}
          certificateLabel={t('portal_methodUnitCertificate')}
          nhiLabel={t('portal_methodResponsibleNhi')}
        />
        <p class="help">{t(nhi ? 'portal_registerNhiHelp' : 'portal_registerCertificateHelp')}</p>
        {!nhi && <WhereToApply families={UNIT_AUTHORITIES} />}
        {nhi && (
          <>
            <Field
              id="unit-code"
              label={t('portal_unitCodeLabel')}
              help={t('portal_unitCodeHelp')}
              inputMode="numeric"
              value={form.unitCode}
              onInput={(unitCode) => update({ unitCode })}
              error={send.errors['unit-code']}
              announce={send.fromPortal}
            />
            <NhiPasswordField
              value={form.password}
              onInput={(password) => update({ password })}
              error={send.errors.password}
              announce={send.fromPortal}
              {...(setup.passwordSet && !send.failure ? { done: t('portal_passwordSetDone') } : {})}
              onSetUp={setup.start}
            />
          </>
        )}
        <Field
          id="email"
          type="email"
          optional
          label={t('portal_emailLabel')}
          help={t('portal_registerEmailHelp')}
          autoComplete="email"
          inputMode="email"
          value={form.email}
          onInput={(email) => update({ email })}
          error={send.errors.email}
          announce={send.fromPortal}
        />
        <ErrorAlert failure={send.failure}>
          {code === 'ERR_PORTAL_PASSWORD_NOT_SET' && (
            <button type="button" class="secondary" onClick={setup.start}>
              {t('portal_passwordSetupOffer')}
            </button>
          )}
          {code === 'ERR_PORTAL_ALREADY_REGISTERED' && <a href="#/login">{t('portal_goToLogin')}</a>}
          {(code === 'ERR_CERTIFICATE_NOT_FOUND' || code === 'ERR_PORTAL_CERT_NOT_UNIT') && (
            <WhereToApply families={UNIT_AUTHORITIES} open />
          )}
        </ErrorAlert>
        <Status text={send.progress} />
        <div class="actions">
          <button type="submit" data-action="register">
            {t('portal_registerSubmit')}
          </button>
        </div>
      </form>
      <p class="switch">
        <a href="#/login">{t('portal_haveRegistration')}</a>
      </p>
    </Screen>
  );
}
