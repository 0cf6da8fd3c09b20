/**
 * The prompt window: the requesting origin first and large, what will happen in plain words, the
 * certificate to use, and the PIN. The PIN field is cleared after every try and goes only to the
 * background (and from there to the host).
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ListedCertificateResult } from '../../../shared/protocol/messages.ts';
import { initI18n, t, textLanguage } from '../../lib/i18n.ts';
import { certificateLabel } from '../../../shared/pki/certificateLabel.ts';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import { CONSENT_ONLY_KINDS, type PromptOutcome, type PromptView } from '../../lib/promptProtocol.ts';
import { ui } from '../../lib/uiClient.ts';
import { usableForLogin } from '../../../shared/pki/certificateUse.ts';
import { certificatesFor } from '../../../shared/pki/taskCertificates.ts';
import { FILING_KIND_LABELS } from '../../../shared/filings/labels.ts';
import type { FilingSummary } from '../../lib/filingSummary.ts';
import { currentLanguage } from '../../lib/i18n.ts';

const id = location.hash.slice(1);

/** Message keys allow only letters, digits and _: `read-nhi-card` → `read_nhi_card`. */
const kindKey = (kind: string) => kind.replaceAll('-', '_');

/** The title says the task: a portal page's purpose when it gave one, else what a web page asked. */
const title = (view: PromptView) =>
  view.purpose ? t(`promptTaskTitle_${kindKey(view.purpose)}`) : t(`promptTitle_${kindKey(view.kind)}`);

/** The approve button says the task too (註冊, 登入, 簽署申報, 設定密碼…). */
const approveLabel = (view: PromptView) =>
  view.purpose ? t(`promptTaskApprove_${kindKey(view.purpose)}`) : t(`promptApprove_${kindKey(view.kind)}`);

/**
 * Only the certificates fit for the task (checked again here, by the same shared rule), usable ones
 * first, the one this origin used last for this task at the very top.
 */
export /** The day in Taipei, as a clerk writes it: 民國 for Chinese, Gregorian for English. */
const clerkDay = (instant: string) =>
  formatClerkDate(taipeiDate(new Date(instant)), textLanguage() === 'zh-TW' ? 'roc' : 'gregorian');

function orderCertificates(view: PromptView, now: Date): ListedCertificateResult[] {
  const offered = view.task ? certificatesFor(view.task, view.certificates) : view.certificates;
  const score = (c: ListedCertificateResult) =>
    (c.id === view.rememberedCertificateId ? 0 : 2) + (usableForLogin(c, now) ? 0 : 1);
  return [...offered].sort((a, b) => score(a) - score(b));
}

/** What a filing signature covers, in plain words: kinds, counts, the first names masked. */
function FilingSummaryView({ filing, origin }: { filing: FilingSummary; origin: string }) {
  const language = currentLanguage() === 'zh_TW' ? 'zh-TW' : 'en';
  const kinds = filing.kinds
    .map((kind) => FILING_KIND_LABELS[kind][language])
    .join(language === 'en' ? ', ' : '、');
  const names = filing.names.join(language === 'en' ? ', ' : '、');
  return (
    <div class="filing" data-filing>
      <p>{t('promptFilingExplain', origin)}</p>
      <ul>
        <li data-filing-kinds>{t('promptFilingKinds', kinds)}</li>
        <li data-filing-count>{t('promptFilingCount', filing.filings, filing.persons)}</li>
        <li data-filing-names>
          {t('promptFilingNames', names)}
          {filing.more > 0 && <> {t('promptFilingMore', filing.more)}</>}
        </li>
      </ul>
    </div>
  );
}

/** The card refused every PIN from now on: the operation has stopped; the clerk closes the window. */
function PinLocked({ origin }: { origin: string }) {
  return (
    <section data-pin-locked>
      <p class="muted">{t('promptRequestedBy')}</p>
      <p class="origin" data-origin>
        {origin}
      </p>
      <h1>{t('promptPinLockedTitle')}</h1>
      <p role="alert">{t('promptPinLocked')}</p>
      <div class="actions">
        <button type="button" autoFocus data-close onClick={() => window.close()}>
          {t('promptClose')}
        </button>
      </div>
    </section>
  );
}

function Prompt() {
  const [view, setView] = useState<PromptView | undefined>();
  const [gone, setGone] = useState(false);
  const [certificateId, setCertificateId] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  // The operation ended with an error the clerk must read (a locked PIN): shown until closed.
  const [ended, setEnded] = useState(false);
  // Privacy by default: a consent is for this time only unless the clerk ticks "always allow".
  const [remember, setRemember] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    ui<PromptView>({ command: 'prompt-get', id }).then(
      (v) => {
        setView(v);
        setCertificateId(orderCertificates(v, new Date())[0]?.id);
        document.title = title(v);
      },
      () => setGone(true),
    );
  }, []);

  if (gone) return <p role="alert">{t('promptExpired')}</p>;
  if (!view) return <p role="status">{t('checking')}</p>;
  if (ended) return <PinLocked origin={view.origin} />;

  const certificates = orderCertificates(view, new Date());
  const chosen = certificates.find((c) => c.id === certificateId);
  const needsCertificate = !CONSENT_ONLY_KINDS.has(view.kind);
  // Choosing a certificate to hand over (its public part) needs no PIN.
  const needsPin = needsCertificate && view.kind !== 'choose-certificate' && !chosen?.pinpad;

  const answer = async (approve: boolean) => {
    const pin = pinRef.current?.value ?? '';
    if (pinRef.current) pinRef.current.value = ''; // never kept on screen after a try
    if (approve && needsPin && pin.length === 0) {
      setError(t('promptPinMissing'));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await ui<PromptOutcome>({
        command: 'prompt-answer',
        answer: approve
          ? {
              id,
              approve: true,
              remember,
              ...(certificateId ? { certificateId } : {}),
              ...(needsPin ? { pin } : {}),
            }
          : { id, approve: false },
      });
      if (outcome.done) {
        window.close();
        return;
      }
      if (outcome.ended) {
        setEnded(true);
        return;
      }
      const left = outcome.details?.retriesLeft;
      setError(
        outcome.code === 'ERR_PIN_INCORRECT'
          ? typeof left === 'number'
            ? t('promptPinWrongLeft', left)
            : outcome.details?.retriesLow
              ? t('promptPinWrongLow')
              : t('promptPinWrong')
          : t(outcome.code),
      );
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void answer(true);
      }}
    >
      <p class="muted">{t('promptRequestedBy')}</p>
      <p class="origin" data-origin>
        {view.origin}
      </p>
      <h1 data-title>{title(view)}</h1>
      {view.purpose && (
        <p class="purpose" data-purpose={view.purpose}>
          <strong>{t(`promptPurpose_${kindKey(view.purpose)}`)}</strong>
        </p>
      )}
      {view.filing ? (
        <FilingSummaryView filing={view.filing} origin={view.origin} />
      ) : (
        <p>{t(`promptExplain_${kindKey(view.kind)}`, view.origin)}</p>
      )}
      {view.kind === 'sign' && (
        <p>
          {view.documentName && (
            <>
              {t('promptDocument', view.documentName)}
              <br />
            </>
          )}
          {t('promptDigest', view.hashFunction ?? '')} <code>{view.digestHex}</code>
        </p>
      )}
      {needsCertificate && (
        <fieldset>
          <legend>{t('promptCertificate')}</legend>
          {certificates.map((c) => (
            <label class="certificate" key={c.id}>
              <input
                type="radio"
                name="certificate"
                value={c.id}
                checked={c.id === certificateId}
                onChange={() => setCertificateId(c.id)}
              />{' '}
              {certificateLabel(c, textLanguage())} · {t('promptValidUntil', clerkDay(c.notAfter))}
              {!usableForLogin(c, new Date()) && <span class="muted"> ({t('promptNotUsable')})</span>}
            </label>
          ))}
        </fieldset>
      )}
      {needsPin && (
        <p>
          <label for="pin">{t('promptPin')}</label>{' '}
          <input
            id="pin"
            ref={pinRef}
            type="password"
            autocomplete="off"
            inputMode="numeric"
            autoFocus
            aria-describedby="pin-help"
          />
          <br />
          <span id="pin-help" class="muted">
            {t('promptPinHelp')}
          </span>
        </p>
      )}
      {needsCertificate && chosen?.pinpad && <p role="status">{t('promptPinpad')}</p>}
      {(view.kind === 'read-nhi-card' || view.kind === 'get-certificates') && (
        <p data-consent>
          <span class="muted">{t('promptConsentOnce')}</span>
          <br />
          <input
            id="remember"
            type="checkbox"
            checked={remember}
            onChange={(e) => setRemember((e.target as HTMLInputElement).checked)}
          />{' '}
          <label for="remember">{t(`promptRemember_${kindKey(view.kind)}`, view.origin)}</label>
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      <div class="actions">
        <button type="submit" disabled={busy} data-approve>
          {approveLabel(view)}
        </button>
        <button type="button" class="secondary" disabled={busy} onClick={() => void answer(false)}>
          {t('promptCancel')}
        </button>
      </div>
      <p class="muted">{t('promptTimeout')}</p>
    </form>
  );
}

void initI18n().then(() => render(<Prompt />, document.getElementById('app')!));
