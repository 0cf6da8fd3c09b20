/** The building blocks every portal screen uses: screen frame, fields, alerts, status, choices. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../lib/i18n.ts';
import { isSessionLost } from './api.ts';
import {
  describeFailure,
  firstErrorField,
  obtainProof,
  type Failure,
  type FieldErrors,
  type FieldId,
  type ProofSteps,
} from './forms.ts';
import type { Proof, ProofMethod } from '../../../shared/portal/api.ts';
import type { PortalPurpose } from '../../lib/promptProtocol.ts';

type PortalContextSteps = Omit<ProofSteps, 'onCardStep'>;

/** A screen: its root carries data-screen; the h1 takes focus when the screen opens. */
export function Screen(props: { name: string; title: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = t('portal_documentTitle', props.title);
    heading.current?.focus();
  }, [props.name, props.title]);
  return (
    <section data-screen={props.name} aria-labelledby={`${props.name}-title`}>
      <h1 id={`${props.name}-title`} tabIndex={-1} ref={heading}>
        {props.title}
      </h1>
      {props.children}
    </section>
  );
}

interface FieldProps {
  id: FieldId;
  label: string;
  value: string;
  onInput: (value: string) => void;
  /** Message key of the problem with this field. */
  error?: string | undefined;
  /** The error came from the portal: announce it where it is shown. */
  announce?: boolean;
  help?: string;
  optional?: boolean;
  type?: 'text' | 'password' | 'email';
  autoComplete?: string;
  inputMode?: 'text' | 'numeric' | 'email';
  maxLength?: number;
}

/** A labelled input with its help and its error (aria-invalid, aria-describedby). */
export function Field(props: FieldProps) {
  const described = [props.help ? `${props.id}-help` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.optional ? t('portal_optionalLabel', props.label) : props.label}</label>
      <input
        id={props.id}
        name={props.id}
        // Preact's types check the attributes against one literal type at a time (tsc needs this).
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={!props.optional}
        autoComplete={props.autoComplete ?? 'off'}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        spellcheck={false}
        aria-invalid={props.error ? 'true' : 'false'}
        aria-describedby={described || undefined}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.help && (
        <span class="help" id={`${props.id}-help`}>
          {props.help}
        </span>
      )}
      {props.error && (
        <span
          class="field-error"
          id={`${props.id}-error`}
          data-error-for={props.id}
          data-error={props.error}
          role={props.announce ? 'alert' : undefined}
        >
          {t(props.error)}
        </span>
      )}
    </div>
  );
}

/** A failure not tied to a shown field. */
export function ErrorAlert(props: { failure: Failure | undefined; children?: ComponentChildren }) {
  if (!props.failure) return null;
  return (
    <div class="error" role="alert" data-error={props.failure.code}>
      <p>{t(props.failure.key, ...props.failure.params)}</p>
      {props.children}
    </div>
  );
}

/** The live region for progress: always in the page so that screen readers hear what is put in it. */
export function Status(props: { text: string | undefined }) {
  return (
    <p role="status" class="progress">
      {props.text ?? ''}
    </p>
  );
}

/** Certificate or NHI card: two toggle buttons in a labelled group. */
export function MethodChoice(props: {
  id: string;
  label: string;
  method: ProofMethod;
  onChange: (method: ProofMethod) => void;
  certificateLabel: string;
  nhiLabel: string;
}) {
  return (
    <div class="choice" role="group" aria-labelledby={`${props.id}-label`}>
      <p id={`${props.id}-label`} class="choice-label">
        {props.label}
      </p>
      <button
        type="button"
        class={props.method === 'certificate' ? '' : 'secondary'}
        data-action="certificate"
        aria-pressed={props.method === 'certificate'}
        onClick={() => props.onChange('certificate')}
      >
        {props.certificateLabel}
      </button>
      <button
        type="button"
        class={props.method === 'nhi-card' ? '' : 'secondary'}
        data-action="nhi-card"
        aria-pressed={props.method === 'nhi-card'}
        onClick={() => props.onChange('nhi-card')}
      >
        {props.nhiLabel}
      </button>
    </div>
  );
}

/** Moves focus to an element by id once the page has rendered (after a failed send, a step change). */
export function focusElement(id: string | undefined): void {
  if (id) requestAnimationFrame(() => document.getElementById(id)?.focus());
}

const focusField = (field: FieldId | undefined) => focusElement(field);

/**
 * A form's send state: busy, progress text, field errors and the failure. `run` ignores a second
 * send while one is going, and places a refusal next to its field when the form shows it.
 */
export function useSend(
  portal: string,
  shown: () => readonly FieldId[],
  onSessionLost?: () => Promise<void>,
) {
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<string | undefined>();
  const [errors, setErrors] = useState<FieldErrors>({});
  const [fromPortal, setFromPortal] = useState(false);
  const [failure, setFailure] = useState<Failure | undefined>();
  const running = useRef(false);

  /** Client-side validation result: marks the fields, or clears them. */
  const check = (found: FieldErrors): boolean => {
    setErrors(found);
    setFromPortal(false);
    const first = firstErrorField(found, shown());
    if (first) {
      setFailure({ key: 'portal_fixFields', params: [], code: 'validation' });
      focusField(first);
      return false;
    }
    setFailure(undefined);
    return true;
  };

  const run = async (work: () => Promise<void>, onError?: (failure: Failure) => boolean): Promise<void> => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setFailure(undefined);
    try {
      await work();
    } catch (error) {
      const found = describeFailure(error, shown(), portal);
      if (onSessionLost && isSessionLost(error)) {
        await onSessionLost();
        return;
      }
      if (onError?.(found)) return;
      if (found.field) {
        setErrors({ [found.field]: found.key });
        setFromPortal(true);
        setFailure(undefined);
        focusField(found.field);
      } else {
        setFailure(found);
      }
    } finally {
      running.current = false;
      setBusy(false);
      setProgress(undefined);
    }
  };

  const reset = () => {
    setErrors({});
    setFailure(undefined);
    setFromPortal(false);
  };

  return { busy, progress, setProgress, errors, fromPortal, failure, setFailure, check, run, reset };
}

/** A fresh nonce and the card's proof over it, telling the clerk what is happening. */
export async function prove(
  steps: PortalContextSteps,
  setProgress: (text: string | undefined) => void,
  method: ProofMethod,
  password: string,
  purpose: PortalPurpose,
): Promise<Proof> {
  setProgress(t('portal_statusPreparing'));
  const proof = await obtainProof(
    {
      ...steps,
      onCardStep: () =>
        setProgress(t(method === 'certificate' ? 'portal_statusCertificate' : 'portal_statusNhi')),
    },
    method,
    password,
    purpose,
  );
  setProgress(t('portal_statusSending'));
  return proof;
}

/** The NHI card's web password, with the way to set it the first time (shown on register and login). */
export function NhiPasswordField(
  props: Pick<FieldProps, 'value' | 'onInput' | 'error' | 'announce'> & {
    /** Said once the password was just set. */
    done?: string;
    onSetUp: () => void;
  },
) {
  return (
    <>
      <Field
        id="password"
        type="password"
        label={t('portal_passwordLabel')}
        help={t('portal_passwordHelp')}
        autoComplete="current-password"
        value={props.value}
        onInput={props.onInput}
        error={props.error}
        announce={props.announce}
      />
      {props.done && <p role="status">{props.done}</p>}
      <p>
        <button
          type="button"
          class="secondary"
          id="set-password-step"
          data-action="set-password-step"
          onClick={props.onSetUp}
        >
          {t('portal_passwordSetupOffer')}
        </button>
      </p>
    </>
  );
}
