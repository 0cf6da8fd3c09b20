/** Popup: one line on whether CardBridge is ready, and the way to the self-check, the portal pages and options. */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { initI18n, t, textLanguage } from '../../lib/i18n.ts';
import { ui } from '../../lib/uiClient.ts';
import type { SelfCheckReport } from '../../lib/uiProtocol.ts';
import { overallLevel, selfCheckItems } from '../selfcheck/checks.ts';
import { render as text } from '../selfcheck/copyReport.ts';

function Popup() {
  const [report, setReport] = useState<SelfCheckReport | undefined>();
  useEffect(() => {
    void ui<SelfCheckReport>({ command: 'selfcheck' }).then(setReport);
  }, []);
  const items = report ? selfCheckItems(report) : [];
  const level = report ? overallLevel(items) : undefined;
  const problem = items.find((i) => i.level === 'error') ?? items.find((i) => i.level === 'warning');
  const open = (page: string) => {
    void browser.tabs.create({ url: browser.runtime.getURL(page) });
    window.close();
  };
  return (
    <>
      <h1>{t('extName')}</h1>
      <p class={`summary ${level ?? ''}`} role="status" data-overall={level ?? 'checking'}>
        {!report
          ? t('checking')
          : level === 'ok'
            ? t('popupReady')
            : text(t, problem!.detail ?? problem!.title, textLanguage())}
      </p>
      <div class="actions">
        <button type="button" onClick={() => open('extension/pages/selfcheck/index.html')}>
          {t('openSelfCheck')}
        </button>
        <button type="button" onClick={() => open('extension/pages/portal/index.html#/login')}>
          {t('openPortalLogin')}
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => open('extension/pages/portal/index.html#/register')}
        >
          {t('openPortalRegister')}
        </button>
        <button type="button" class="secondary" onClick={() => void browser.runtime.openOptionsPage()}>
          {t('openOptions')}
        </button>
      </div>
    </>
  );
}

void initI18n().then(() => render(<Popup />, document.getElementById('app')!));
