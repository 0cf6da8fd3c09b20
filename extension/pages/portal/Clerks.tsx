/** 單位管理者登錄作業: the unit's clerks — list, add (citizen certificate or NHI card data), revoke. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import type { ChosenCertificate } from '../../lib/uiProtocol.ts';
import type { PortalContext } from './context.ts';
import {
  CLERK_NHI_FIELDS,
  clerkCertificateBody,
  clerkNhiBody,
  emailError,
  validateClerkNhi,
  type ClerkNhiForm,
  type FieldId,
} from './forms.ts';
import { ErrorAlert, Field, MethodChoice, Screen, Status, useSend } from './ui.tsx';
import { PERSON_AUTHORITIES, WhereToApply } from './WhereToApply.tsx';
import type { ClerkView, PortalReply, ProofMethod } from '../../../shared/portal/api.ts';

/** Unit certificates cannot be a clerk's: the portal refuses them, so the page says so before sending. */
const UNIT_FAMILIES = new Set(['MOEACA', 'GCA', 'XCA']);
const EMPTY_NHI: ClerkNhiForm = { cardNumber: '', idNumber: '', name: '', email: '' };

function ClerkRow(props: {
  clerk: ClerkView;
  confirming: boolean;
  busy: boolean;
  onRevoke: () => void;
  onConfirm: () => void;
  onKeep: () => void;
}) {
  const { clerk } = props;
  const question = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (props.confirming) question.current?.focus();
  }, [props.confirming]);
  return (
    <tr data-clerk={clerk.id} data-status={clerk.status}>
      <th scope="row">{clerk.displayName}</th>
      <td>{t(clerk.kind === 'certificate' ? 'portal_kindCertificate' : 'portal_kindNhi')}</td>
      <td>
        <span class="credential">{clerk.credential}</span>
        {clerk.idLast4 && <span class="detail-inline">{t('portal_idLast4', clerk.idLast4)}</span>}
      </td>
      <td>{t(clerk.status === 'active' ? 'portal_statusActive' : 'portal_statusRevoked')}</td>
      <td>{(clerk.status === 'revoked' ? clerk.revokedAt : clerk.createdAt)?.slice(0, 10)}</td>
      <td>
        {clerk.status === 'active' && !props.confirming && (
          <button
            type="button"
            class="secondary"
            id={`revoke-${clerk.id}`}
            data-action="revoke"
            aria-label={t('portal_revokeFor', clerk.displayName)}
            onClick={props.onRevoke}
          >
            {t('portal_revoke')}
          </button>
        )}
        {props.confirming && (
          <div class="confirm" data-confirm={clerk.id}>
            <p tabIndex={-1} ref={question} id={`confirm-${clerk.id}`}>
              {t('portal_revokeQuestion', clerk.displayName)}
            </p>
            <button
              type="button"
              data-action="confirm"
              aria-describedby={`confirm-${clerk.id}`}
              disabled={props.busy}
              onClick={props.onConfirm}
            >
              {t('portal_revokeConfirm')}
            </button>{' '}
            <button type="button" class="secondary" data-action="keep" onClick={props.onKeep}>
              {t('portal_revokeKeep')}
            </button>
          </div>
        )}
      </td>
    </tr>
  );
}

function ChosenPerson({ chosen }: { chosen: ChosenCertificate }) {
  return (
    <dl class="facts" data-chosen>
      <dt>{t('portal_personName')}</dt>
      <dd data-chosen-name>{chosen.subject.commonName}</dd>
      {chosen.subject.idLast4 && (
        <>
          <dt>{t('portal_personIdLast4')}</dt>
          <dd>{chosen.subject.idLast4}</dd>
        </>
      )}
      <dt>{t('portal_certificateKind')}</dt>
      <dd>{t(`family${chosen.family}`)}</dd>
      <dt>{t('portal_certificateValidUntil')}</dt>
      <dd>{chosen.notAfter.slice(0, 10)}</dd>
    </dl>
  );
}

export function Clerks({ ctx }: { ctx: PortalContext }) {
  const [list, setList] = useState<PortalReply<'clerks'> | undefined>();
  const [confirming, setConfirming] = useState<string | undefined>();
  const [method, setMethod] = useState<ProofMethod>('certificate');
  const [chosen, setChosen] = useState<ChosenCertificate | undefined>();
  const [nhi, setNhi] = useState<ClerkNhiForm>(EMPTY_NHI);
  const [email, setEmail] = useState('');
  const [revoked, setRevoked] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();

  const shownFields = (): FieldId[] =>
    method === 'nhi-card' ? [...CLERK_NHI_FIELDS] : chosen ? ['email'] : [];
  const loader = useSend(ctx.portal, () => [], ctx.sessionLost);
  const revoker = useSend(ctx.portal, () => [], ctx.sessionLost);
  const adder = useSend(ctx.portal, shownFields, ctx.sessionLost);

  const load = () =>
    loader.run(async () => {
      loader.setProgress(t('portal_loading'));
      setList(await ctx.api.clerks());
    });
  useEffect(() => {
    // Loaded once when the screen opens; later changes reload explicitly.
    void load();
  }, []);

  const revoke = (clerk: ClerkView) =>
    void revoker.run(async () => {
      revoker.setProgress(t('portal_revoking'));
      await ctx.api.revokeClerk(clerk.id);
      setConfirming(undefined);
      setRevoked(t('portal_clerkRevoked', clerk.displayName));
      setList(await ctx.api.clerks());
    });

  const keep = (clerk: ClerkView) => {
    setConfirming(undefined);
    requestAnimationFrame(() => document.getElementById(`revoke-${clerk.id}`)?.focus());
  };

  const chooseMethod = (next: ProofMethod) => {
    setMethod(next);
    setChosen(undefined);
    setDone(undefined);
    adder.reset();
  };

  const readCertificate = () =>
    void adder.run(async () => {
      setDone(undefined);
      setChosen(undefined);
      adder.setProgress(t('portal_statusChooseCertificate'));
      const certificate = await ctx.chooseCertificate();
      setChosen(certificate);
      if (UNIT_FAMILIES.has(certificate.family)) {
        adder.setFailure({
          key: 'ERR_PORTAL_CERT_NOT_PERSON',
          params: [],
          code: 'ERR_PORTAL_CERT_NOT_PERSON',
        });
      }
    });

  const added = async (name: string) => {
    setDone(t('portal_clerkAdded', name));
    setChosen(undefined);
    setNhi(EMPTY_NHI);
    setEmail('');
    setList(await ctx.api.clerks());
  };

  const addByCertificate = (event: Event) => {
    event.preventDefault();
    if (!chosen) return;
    if (UNIT_FAMILIES.has(chosen.family)) return;
    const error = emailError(email);
    if (!adder.check(error ? { email: error } : {})) return;
    void adder.run(async () => {
      adder.setProgress(t('portal_statusSending'));
      const { clerk } = await ctx.api.addClerk(clerkCertificateBody(chosen.certificate, email));
      await added(clerk.displayName);
    });
  };

  const addByNhi = (event: Event) => {
    event.preventDefault();
    setDone(undefined);
    if (!adder.check(validateClerkNhi(nhi))) return;
    void adder.run(async () => {
      adder.setProgress(t('portal_statusSending'));
      const { clerk } = await ctx.api.addClerk(clerkNhiBody(nhi));
      await added(clerk.displayName);
    });
  };

  const active = list?.clerks.filter((c) => c.status === 'active').length ?? 0;
  const atLimit = list !== undefined && active >= list.limit;
  const emailField = (
    <Field
      id="email"
      type="email"
      optional
      label={t('portal_clerkEmailLabel')}
      help={t('portal_clerkEmailHelp')}
      autoComplete="off"
      inputMode="email"
      value={method === 'nhi-card' ? nhi.email : email}
      onInput={(value) => (method === 'nhi-card' ? setNhi({ ...nhi, email: value }) : setEmail(value))}
      error={adder.errors.email}
      announce={adder.fromPortal}
    />
  );

  return (
    <Screen name="clerks" title={t('portal_clerksTitle')}>
      <p>{t('portal_clerksIntro')}</p>
      <nav class="actions" aria-label={t('portal_navLabel')}>
        <a href="#/home">{t('portal_goHome')}</a>
      </nav>
      {/* At the top, above the list it changed, and announced: the clerk sees it without scrolling. */}
      <p role="status" class={done ? 'done notice' : 'done'} data-done={done ? 'added' : undefined}>
        {done ?? ''}
      </p>
      <h2 id="clerk-list-title">{t('portal_clerkListTitle')}</h2>
      <ErrorAlert failure={loader.failure} />
      <Status text={loader.progress} />
      {list && (
        <>
          <p data-limit={list.limit} data-active={active}>
            {t('portal_clerkCount', active, list.limit)}
          </p>
          {atLimit && (
            <p class="notice" data-limit-reached>
              {t('portal_clerkLimitReached')}
            </p>
          )}
          {list.clerks.length === 0 ? (
            <p>{t('portal_clerkNone')}</p>
          ) : (
            <table class="clerks" aria-labelledby="clerk-list-title">
              <thead>
                <tr>
                  <th scope="col">{t('portal_colName')}</th>
                  <th scope="col">{t('portal_colKind')}</th>
                  <th scope="col">{t('portal_colCredential')}</th>
                  <th scope="col">{t('portal_colStatus')}</th>
                  <th scope="col">{t('portal_colDate')}</th>
                  <th scope="col">{t('portal_colAction')}</th>
                </tr>
              </thead>
              <tbody>
                {list.clerks.map((clerk) => (
                  <ClerkRow
                    key={clerk.id}
                    clerk={clerk}
                    confirming={confirming === clerk.id}
                    busy={revoker.busy}
                    onRevoke={() => {
                      revoker.reset();
                      setRevoked(undefined);
                      setConfirming(clerk.id);
                    }}
                    onConfirm={() => revoke(clerk)}
                    onKeep={() => keep(clerk)}
                  />
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <ErrorAlert failure={revoker.failure} />
      <Status text={revoker.progress ?? revoked} />

      <h2>{t('portal_addClerkTitle')}</h2>
      <MethodChoice
        id="clerk-method"
        label={t('portal_addClerkMethod')}
        method={method}
        onChange={chooseMethod}
        certificateLabel={t('portal_addByCertificate')}
        nhiLabel={t('portal_addByNhi')}
      />
      {method === 'certificate' ? (
        <form onSubmit={addByCertificate} aria-busy={adder.busy} noValidate>
          <p class="help">{t('portal_addByCertificateHelp')}</p>
          <p>
            <button
              type="button"
              class={chosen ? 'secondary' : ''}
              data-action="choose-certificate"
              onClick={readCertificate}
            >
              {t(chosen ? 'portal_readAgain' : 'portal_readCertificate')}
            </button>
          </p>
          {chosen && (
            <>
              <h3>{t('portal_checkPerson')}</h3>
              <ChosenPerson chosen={chosen} />
              {emailField}
            </>
          )}
          <ErrorAlert failure={adder.failure}>
            {(adder.failure?.code === 'ERR_PORTAL_CERT_NOT_PERSON' ||
              adder.failure?.code === 'ERR_CERTIFICATE_NOT_FOUND') && (
              <WhereToApply families={PERSON_AUTHORITIES} open />
            )}
          </ErrorAlert>
          <Status text={adder.progress} />
          {chosen && !UNIT_FAMILIES.has(chosen.family) && (
            <div class="actions">
              <button type="submit" data-action="add-clerk">
                {t('portal_addClerkSubmit')}
              </button>
            </div>
          )}
        </form>
      ) : (
        <form onSubmit={addByNhi} aria-busy={adder.busy} noValidate>
          <p class="help">{t('portal_addByNhiHelp')}</p>
          <Field
            id="card-number"
            label={t('portal_cardNumberLabel')}
            help={t('portal_cardNumberHelp')}
            inputMode="numeric"
            value={nhi.cardNumber}
            onInput={(cardNumber) => setNhi({ ...nhi, cardNumber })}
            error={adder.errors['card-number']}
            announce={adder.fromPortal}
          />
          <Field
            id="id-number"
            label={t('portal_idNumberLabel')}
            help={t('portal_idNumberHelp')}
            value={nhi.idNumber}
            maxLength={10}
            onInput={(idNumber) => setNhi({ ...nhi, idNumber })}
            error={adder.errors['id-number']}
            announce={adder.fromPortal}
          />
          <Field
            id="name"
            label={t('portal_nameLabel')}
            value={nhi.name}
            onInput={(name) => setNhi({ ...nhi, name })}
            error={adder.errors.name}
            announce={adder.fromPortal}
          />
          {emailField}
          <ErrorAlert failure={adder.failure} />
          <Status text={adder.progress} />
          <div class="actions">
            <button type="submit" data-action="add-clerk">
              {t('portal_addClerkSubmit')}
            </button>
          </div>
        </form>
      )}
    </Screen>
  );
}
