/** The environment self-check: what a clerk or IT needs to know before logging in, live. */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { t, textLanguage as language } from '../../lib/i18n.ts';
import { maskCardNumber, maskIdNumber, maskName } from '../../lib/mask.ts';
import { ui } from '../../lib/uiClient.ts';
import { SELFCHECK_PORT, type NhiCardView, type SelfCheckReport } from '../../lib/uiProtocol.ts';
import { overallLevel, selfCheckItems, type CheckItem } from './checks.ts';
import { MARKS, maskedReport, render, textReport } from './copyReport.ts';

function NhiHolder({ reader }: { reader: string }) {
  const [card, setCard] = useState<NhiCardView | undefined>();
  const [revealed, setRevealed] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const read = () => {
    setError(undefined);
    ui<NhiCardView>({ command: 'read-nhi-card', reader }).then(setCard, (e: { code?: string }) =>
      setError(e.code ?? 'ERR_INTERNAL'),
    );
  };
  if (error)
    return (
      <p class="holder" role="alert">
        {t(error)}
      </p>
    );
  if (!card) {
    return (
      <p class="holder">
        <button type="button" class="secondary" onClick={read}>
          {t('showHolder')}
        </button>
      </p>
    );
  }
  const name = revealed ? card.name : maskName(card.name);
  const id = revealed ? card.idNumber : maskIdNumber(card.idNumber);
  const number = revealed ? card.cardNumber : maskCardNumber(card.cardNumber);
  return (
    <p class="holder">
      {t('holderLine', name, id, number)}{' '}
      <button type="button" class="secondary" aria-pressed={revealed} onClick={() => setRevealed(!revealed)}>
        {revealed ? t('hideHolder') : t('revealHolder')}
      </button>
    </p>
  );
}

function Item({ item, report }: { item: CheckItem; report: SelfCheckReport }) {
  const reader = item.id.startsWith('reader:') ? item.id.slice('reader:'.length) : undefined;
  const isNhi =
    reader !== undefined && report.status?.readers.find((r) => r.name === reader)?.card?.type === 'nhi';
  return (
    <li data-check={item.id} data-level={item.level}>
      <span class={`mark ${item.level}`} aria-hidden="true">
        {MARKS[item.level]}
      </span>
      <span class="sr-only">{t(`level_${item.level}`)} </span>
      {render(t, item.title, language())}
      {item.detail && <p class="detail">{render(t, item.detail, language())}</p>}
      {item.fix && (
        <p class="fix">
          {t('fixLabel')}: {render(t, item.fix, language())}
        </p>
      )}
      {isNhi && reader && <NhiHolder key={reader} reader={reader} />}
    </li>
  );
}

export function SelfCheck() {
  const [report, setReport] = useState<SelfCheckReport | undefined>();
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    document.title = t('selfcheckTitle');
    void ui<SelfCheckReport>({ command: 'selfcheck' }).then(setReport);
    // Live: the background pushes a new report when a reader or card changes.
    const port = browser.runtime.connect({ name: SELFCHECK_PORT });
    port.onMessage.addListener((message) => setReport(message as SelfCheckReport));
    return () => port.disconnect();
  }, []);

  if (!report) return <p role="status">{t('checking')}</p>;
  const items = selfCheckItems(report);
  const level = overallLevel(items);

  const copy = async () => {
    const text = `${textReport(t, report, items, language())}\n\n${JSON.stringify(maskedReport(report), null, 2)}`;
    await navigator.clipboard.writeText(text);
    setCopied(true);
  };

  return (
    <>
      <h1>{t('selfcheckTitle')}</h1>
      <p class={`summary ${level}`} role="status" data-overall={level}>
        {t(`summary_${level}`)}
      </p>
      <ul class="checks">
        {items.map((item) => (
          <Item key={item.id} item={item} report={report} />
        ))}
      </ul>
      <div class="actions">
        <button
          type="button"
          onClick={() => void ui<SelfCheckReport>({ command: 'selfcheck' }).then(setReport)}
        >
          {t('checkAgain')}
        </button>
        <button type="button" class="secondary" onClick={() => void copy()}>
          {t('copyReport')}
        </button>
      </div>
      {copied && <p role="status">{t('reportCopied')}</p>}
    </>
  );
}
