/**
 * Options: extra allowed origins, the portal address, language, the development switch; IT policy
 * values shown read-only (a portal address set by IT replaces the clerk's); the sites the clerk
 * allowed "always", to withdraw.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { isValidConfiguredOrigin, isValidPortalOrigin } from '../../../shared/protocol/origin.ts';
import { initI18n, t } from '../../lib/i18n.ts';
import { ui } from '../../lib/uiClient.ts';
import type { ConsentsView, SettingsView } from '../../lib/uiProtocol.ts';
import type { ConsentKind } from '../../background/consent.ts';

/** The sites the clerk allowed "always", each withdrawable with one button. */
function Consents() {
  const [consents, setConsents] = useState<ConsentsView | undefined>();
  const [withdrawn, setWithdrawn] = useState<string | undefined>();
  useEffect(() => {
    void ui<ConsentsView>({ command: 'consents' }).then(setConsents);
  }, []);
  if (!consents) return null;
  const withdraw = async (kind: ConsentKind, origin: string) => {
    setConsents(await ui<ConsentsView>({ command: 'withdraw-consent', kind, origin }));
    setWithdrawn(t('optionsConsentWithdrawn', origin));
  };
  const rows = (Object.keys(consents) as ConsentKind[]).flatMap((kind) =>
    consents[kind].map((origin) => ({ kind, origin })),
  );
  return (
    <section aria-labelledby="consents-title" data-consents>
      <h2 id="consents-title">{t('optionsConsents')}</h2>
      <p class="detail">{t('optionsConsentsHelp')}</p>
      {withdrawn && <p role="status">{withdrawn}</p>}
      {rows.length === 0 ? (
        <p data-consents-empty>{t('optionsConsentsNone')}</p>
      ) : (
        <ul class="consents">
          {rows.map(({ kind, origin }) => (
            <li key={`${kind}:${origin}`} data-consent={`${kind}:${origin}`}>
              <span class="consent-origin">{origin}</span> — {t(`optionsConsent_${kind}`)}{' '}
              <button
                type="button"
                class="secondary"
                aria-label={t('optionsConsentWithdrawFor', origin, t(`optionsConsent_${kind}`))}
                onClick={() => void withdraw(kind, origin)}
              >
                {t('optionsConsentWithdraw')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Options() {
  const [settings, setSettings] = useState<SettingsView | undefined>();
  const [origins, setOrigins] = useState('');
  const [portal, setPortal] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [portalError, setPortalError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    document.title = t('optionsTitle');
    void ui<SettingsView>({ command: 'settings' }).then((s) => {
      setSettings(s);
      setOrigins(s.userOrigins.join('\n'));
      setPortal(s.portalAddress);
    });
  }, []);
  if (!settings) return <p role="status">{t('checking')}</p>;

  const save = async (event: Event) => {
    event.preventDefault();
    const list = origins
      .split(/\s+/)
      .map((o) => o.trim())
      .filter(Boolean);
    const bad = list.find((o) => !isValidConfiguredOrigin(o));
    const portalAddress = portal.trim().replace(/\/+$/, '');
    const badPortal = portalAddress !== '' && !isValidPortalOrigin(portalAddress);
    setError(bad ? t('optionsBadOrigin', bad) : undefined);
    setPortalError(badPortal ? t('optionsBadPortal', portalAddress) : undefined);
    if (bad || badPortal) return;
    const next = await ui<SettingsView>({
      command: 'save-settings',
      userOrigins: list,
      portalAddress,
      developmentMode: settings.developmentMode,
      language: settings.language,
    });
    setSettings(next);
    setSaved(true);
  };

  return (
    <form onSubmit={(e) => void save(e)}>
      <h1>{t('optionsTitle')}</h1>
      <label for="origins">{t('optionsOrigins')}</label>
      <p class="detail" id="origins-help">
        {t('optionsOriginsHelp')}
      </p>
      <textarea
        id="origins"
        rows={4}
        cols={50}
        aria-describedby="origins-help"
        aria-invalid={error ? 'true' : 'false'}
        value={origins}
        onInput={(e) => setOrigins((e.target as HTMLTextAreaElement).value)}
      />
      {error && <p role="alert">{error}</p>}
      <p>
        <label for="portal">{t('optionsPortal')}</label>
        <br />
        <input
          id="portal"
          type="url"
          size={50}
          disabled={settings.policy.portalAddress !== undefined}
          placeholder={settings.effectivePortalAddress}
          aria-describedby="portal-help"
          aria-invalid={portalError ? 'true' : 'false'}
          value={portal}
          onInput={(e) => setPortal((e.target as HTMLInputElement).value)}
        />
        <br />
        <span class="detail" id="portal-help">
          {t('optionsPortalHelp', settings.effectivePortalAddress)}
        </span>
      </p>
      {portalError && <p role="alert">{portalError}</p>}
      <p>
        <label for="language">{t('optionsLanguage')}</label>{' '}
        <select
          id="language"
          value={settings.language}
          onChange={(e) =>
            setSettings({
              ...settings,
              language: (e.target as HTMLSelectElement).value as SettingsView['language'],
            })
          }
        >
          <option value="auto">{t('optionsLanguageAuto')}</option>
          <option value="zh_TW">{t('optionsLanguageZh')}</option>
          <option value="en">{t('optionsLanguageEn')}</option>
        </select>
      </p>
      <p>
        <input
          id="dev"
          type="checkbox"
          checked={settings.developmentMode}
          onChange={(e) =>
            setSettings({ ...settings, developmentMode: (e.target as HTMLInputElement).checked })
          }
        />{' '}
        <label for="dev">{t('optionsDevelopment')}</label>
      </p>
      <h2>{t('optionsPolicy')}</h2>
      <p class="detail" data-policy>
        {settings.policy.allowedOrigins.length > 0
          ? settings.policy.allowedOrigins.join(', ')
          : t('optionsPolicyNone')}
        {settings.policy.developmentMode ? ` · ${t('optionsDevelopment')}` : ''}
        {settings.policy.portalAddress ? ` · ${t('optionsPortal')}: ${settings.policy.portalAddress}` : ''}
      </p>
      <div class="actions">
        <button type="submit">{t('optionsSave')}</button>
      </div>
      {saved && <p role="status">{t('optionsSaved')}</p>}
      <Consents />
    </form>
  );
}

void initI18n().then(() => render(<Options />, document.getElementById('app')!));
