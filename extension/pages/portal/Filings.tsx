/**
 * 申報異動: a form per filing kind (加保 with the joint 勞健保 fields, 退保, 眷屬加保, 眷屬退保,
 * 投保金額調整, 資料變更). The shared checks run here before signing, errors beside their fields;
 * then the clerk signs in the CardBridge window (「簽署申報」) and the portal's receipt is shown.
 */
import { useState } from 'preact/hooks';
import { filingIssueMessage } from '../../../shared/filings/errors.ts';
import {
  FIELD_LABELS,
  FILING_KIND_LABELS,
  FILING_KINDS,
  type FilingField,
  type FilingKind,
} from '../../../shared/filings/labels.ts';
import type { FilingIssue } from '../../../shared/filings/checks.ts';
import { currentLanguage, t } from '../../lib/i18n.ts';
import type { PortalContext } from './context.ts';
import {
  choicesFor,
  fieldsFor,
  OPTIONAL_FIELDS,
  readFilingForm,
  type FilingFormState,
  type Scheme,
} from './filingForm.ts';
import { Receipt } from './Receipt.tsx';
import { newSubmission, signAndSubmit } from './signing.ts';
import { ErrorAlert, focusElement, Status, useSend } from './ui.tsx';
import { Screen } from './ui.tsx';

const lang = () => (currentLanguage() === 'zh_TW' ? 'zh-TW' : 'en');
const inputId = (field: FilingField) => `filing-${field}`;

function FilingInput(props: {
  kind: FilingKind;
  field: FilingField;
  value: string;
  error: FilingIssue['code'] | undefined;
  onInput: (value: string) => void;
}) {
  const { field, error } = props;
  const id = inputId(field);
  const label = FIELD_LABELS[field][lang()];
  const optional = OPTIONAL_FIELDS.has(field);
  const choices = choicesFor(props.kind, field);
  const common = {
    id,
    name: field,
    required: !optional,
    'aria-invalid': error ? ('true' as const) : ('false' as const),
    'aria-describedby': error ? `${id}-error` : undefined,
  };
  return (
    <div class="field">
      <label for={id}>{optional ? t('portal_optionalLabel', label) : label}</label>
      {choices ? (
        <select
          {...common}
          value={props.value}
          onChange={(e) => props.onInput((e.target as HTMLSelectElement).value)}
        >
          <option value="">{t('portal_filingChoose')}</option>
          {choices.map((c) => (
            <option key={c.code} value={c.code}>
              {c.code} {c.label[lang()]}
            </option>
          ))}
        </select>
      ) : (
        <input
          {...common}
          type="text"
          value={props.value}
          autoComplete="off"
          spellcheck={false}
          onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
        />
      )}
      {error && (
        <span class="field-error" id={`${id}-error`} data-error-for={id} data-error={error}>
          {filingIssueMessage(error, field, lang())}
        </span>
      )}
    </div>
  );
}

export function Filings({ ctx }: { ctx: PortalContext }) {
  const [form, setForm] = useState<FilingFormState>({ kind: 'enrol', scheme: 'nhi', values: {} });
  const [errors, setErrors] = useState<Partial<Record<FilingField, FilingIssue['code']>>>({});
  const [warnings, setWarnings] = useState<FilingIssue[]>([]);
  const [receiptId, setReceiptId] = useState<string | undefined>();
  const sender = useSend(ctx.portal, () => [], ctx.sessionLost);
  const session = ctx.session;

  if (receiptId) {
    return (
      <Receipt
        ctx={ctx}
        submissionId={receiptId}
        onAnother={() => {
          setForm({ kind: form.kind, scheme: form.scheme, values: {} });
          setWarnings([]);
          setReceiptId(undefined);
        }}
      />
    );
  }

  const fields = fieldsFor(form.kind, form.scheme);
  const setValue = (field: FilingField, value: string) =>
    setForm({ ...form, values: { ...form.values, [field]: value } });

  const sign = (event: Event) => {
    event.preventDefault();
    if (!session) return;
    const result = readFilingForm(form);
    setErrors(result.errors);
    setWarnings(result.warnings);
    const first = fields.find((f) => result.errors[f]);
    if (!result.filing) {
      sender.setFailure({ key: 'portal_fixFields', params: [], code: 'validation' });
      focusElement(first ? inputId(first) : 'filing-kind');
      return;
    }
    const filing = result.filing;
    void sender.run(async () => {
      sender.setProgress(
        t(session.subject.kind === 'certificate' ? 'portal_statusCertificate' : 'portal_statusNhi'),
      );
      const submission = newSubmission(session.unit.code, [filing]);
      const receipt = await signAndSubmit(ctx.api, submission, session.subject.kind);
      setReceiptId(receipt.submissionId);
    });
  };

  return (
    <Screen name="filings" title={t('portal_filingsTitle')}>
      <p>{t('portal_filingsIntro')}</p>
      <nav class="actions" aria-label={t('portal_navLabel')}>
        <a href="#/home">{t('portal_goHome')}</a>
      </nav>
      <form onSubmit={sign} aria-busy={sender.busy} noValidate>
        <div class="field">
          <label for="filing-kind">{FIELD_LABELS.kind[lang()]}</label>
          <select
            id="filing-kind"
            value={form.kind}
            onChange={(e) => {
              setErrors({});
              setWarnings([]);
              setForm({ ...form, kind: (e.target as HTMLSelectElement).value as FilingKind });
            }}
          >
            {FILING_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {FILING_KIND_LABELS[kind][lang()]}
              </option>
            ))}
          </select>
        </div>
        {form.kind === 'enrol' && (
          <div class="field">
            <label for="filing-scheme">{FIELD_LABELS.scheme[lang()]}</label>
            <select
              id="filing-scheme"
              value={form.scheme}
              onChange={(e) => setForm({ ...form, scheme: (e.target as HTMLSelectElement).value as Scheme })}
            >
              <option value="nhi">{t('portal_schemeNhi')}</option>
              <option value="joint">{t('portal_schemeJoint')}</option>
            </select>
          </div>
        )}
        {fields.map((field) => (
          <FilingInput
            key={`${form.kind}-${field}`}
            kind={form.kind}
            field={field}
            value={form.values[field] ?? ''}
            error={errors[field]}
            onInput={(value) => setValue(field, value)}
          />
        ))}
        <p class="help">{t('portal_filingDateHelp')}</p>
        {warnings.length > 0 && (
          <div class="notice" data-warnings>
            {warnings.map((w) => (
              <p key={`${w.field}-${w.code}`} data-warning={w.code}>
                {filingIssueMessage(w.code, w.field, lang())}
              </p>
            ))}
          </div>
        )}
        <ErrorAlert failure={sender.failure} />
        <Status text={sender.progress} />
        <div class="actions">
          <button type="submit" data-action="sign-filing" disabled={sender.busy}>
            {t('portal_filingSign')}
          </button>
        </div>
      </form>
    </Screen>
  );
}
