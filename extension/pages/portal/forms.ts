/**
 * The forms' logic, without a browser: normalising and validating what the clerk typed, building the
 * request bodies, and placing a portal refusal next to the right input. Messages are message keys
 * (portal_… in _locales, or ERR_PORTAL_… codes), turned into text by the components with t().
 */
import * as rules from '../../../shared/fields/rules.ts';
import { PORTAL_CODE_OF_FIELD_ERROR } from '../../../shared/portal/fieldErrors.ts';
import { checkNationalId, isNhiCardNumber } from '../../../shared/tw/nationalId.ts';
import {
  ClerkName,
  Email,
  NhiPassword,
  UnitCode,
  type CertificateProof,
  type NhiCardProof,
  type PortalBody,
  type Proof,
  type ProofMethod,
  type Role,
} from '../../../shared/portal/api.ts';
import type { PortalPurpose } from '../../lib/promptProtocol.ts';

/** The inputs of the portal pages, by id (also the ids the e2e tests use). */
export type FieldId =
  'unit-code' | 'email' | 'password' | 'password-confirm' | 'card-number' | 'id-number' | 'name';

/** Message key per field with a problem; an empty object means the form may be sent. */
export type FieldErrors = Partial<Record<FieldId, string>>;

/** A rule the portal's schema sets; one that is missing is a mistake in shared/portal/api.ts. */
function rule<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`shared/portal/api.ts sets no ${name}`);
  return value;
}

// The portal's own limits (shared/portal/api.ts), so a form refuses what the portal would refuse.
export const PASSWORD_MIN = rule(NhiPassword.minLength, 'password minLength');
export const PASSWORD_MAX = rule(NhiPassword.maxLength, 'password maxLength');
export const UNIT_CODE_MAX = rule(UnitCode.maxLength, 'unit code maxLength');
export const NAME_MAX = rule(ClerkName.maxLength, 'clerk name maxLength');
export const EMAIL_MAX = rule(Email.maxLength, 'e-mail maxLength');

/** What the extension's portal-nhi-authenticate gives back that a proof needs: the card's answer. */
export type NhiCardAnswer = Pick<NhiCardProof, 'cardNumber' | 'response'>;

/** The field rule's normalised value (what the portal stores), or the input trimmed if it breaks the rule. */
const ruled = (result: rules.FieldResult<string>, value: string) => (result.ok ? result.value : value.trim());

export const normalise = {
  unitCode: (value: string) => value.trim(),
  email: (value: string) => ruled(rules.email(value), value),
  /** Card numbers are often typed in groups: spaces and hyphens go. */
  cardNumber: (value: string) => value.replace(/[\s-]/g, ''),
  idNumber: (value: string) => value.trim().toUpperCase(),
  name: (value: string) => ruled(rules.personName(value), value),
} as const;

export function unitCodeError(value: string, required: boolean): string | undefined {
  if (value.trim() === '') return required ? 'ERR_PORTAL_UNIT_CODE_REQUIRED' : undefined;
  // The format itself is the portal's setting; the page checks what every unit code obeys.
  const cleaned = rules.cleanText(value, UNIT_CODE_MAX);
  if (!cleaned.ok && cleaned.code === 'ERR_FIELD_CONTROL_CHARACTER')
    return PORTAL_CODE_OF_FIELD_ERROR[cleaned.code];
  return !cleaned.ok || /\s/.test(cleaned.value) ? 'ERR_PORTAL_INVALID_UNIT_CODE' : undefined;
}

export function passwordError(value: string): string | undefined {
  if (value === '') return 'portal_passwordRequired';
  if ([...value].length < PASSWORD_MIN || [...value].length > PASSWORD_MAX) return 'portal_passwordLength';
  return undefined;
}

/** The e-mail address is optional; when given it must follow the one e-mail rule (shared/fields). */
export function emailError(value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const result = rules.email(value);
  if (result.ok) return undefined;
  return result.code === 'ERR_FIELD_TOO_LONG'
    ? 'ERR_PORTAL_INVALID_EMAIL'
    : PORTAL_CODE_OF_FIELD_ERROR[result.code];
}

export function cardNumberError(value: string): string | undefined {
  const number = normalise.cardNumber(value);
  if (number === '') return 'portal_cardNumberRequired';
  return isNhiCardNumber(number) ? undefined : 'ERR_PORTAL_INVALID_CARD_NUMBER';
}

export function idNumberError(value: string): string | undefined {
  const id = normalise.idNumber(value);
  if (id === '') return 'portal_idNumberRequired';
  const check = checkNationalId(id);
  if (check.valid) return undefined;
  return check.reason === 'checksum' ? 'portal_idNumberChecksum' : 'portal_idNumberFormat';
}

/** A person's name, by the one name rule (shared/fields): Chinese or Latin, no hidden characters. */
export function nameError(value: string): string | undefined {
  const result = rules.personName(value);
  if (result.ok) return undefined;
  if (result.code === 'ERR_FIELD_REQUIRED') return 'portal_nameRequired';
  if (result.code === 'ERR_FIELD_TOO_LONG') return 'portal_nameTooLong';
  return PORTAL_CODE_OF_FIELD_ERROR[result.code];
}

function collect(entries: Array<[FieldId, string | undefined]>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [field, error] of entries) if (error) errors[field] = error;
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

/** The first field with a problem, in the form's order (where focus goes after a failed send). */
export function firstErrorField(errors: FieldErrors, order: readonly FieldId[]): FieldId | undefined {
  return order.find((field) => errors[field] !== undefined);
}

// ---- Registration (單位註冊) ----

export interface RegisterForm {
  method: ProofMethod;
  unitCode: string;
  password: string;
  email: string;
}

/** The fields a registration form shows, in order. */
export function registerFields(method: ProofMethod): FieldId[] {
  return method === 'nhi-card' ? ['unit-code', 'password', 'email'] : ['email'];
}

export function validateRegister(form: RegisterForm): FieldErrors {
  if (form.method === 'certificate') return collect([['email', emailError(form.email)]]);
  return collect([
    ['unit-code', unitCodeError(form.unitCode, true)],
    ['password', passwordError(form.password)],
    ['email', emailError(form.email)],
  ]);
}

export function registerBody(form: RegisterForm, proof: Proof): PortalBody<'register'> {
  const body: PortalBody<'register'> = { proof };
  if (form.method === 'nhi-card') body.unitCode = normalise.unitCode(form.unitCode);
  const email = normalise.email(form.email);
  if (email) body.email = email;
  return body;
}

// ---- First web password of an NHI card (健保卡註冊) ----

export interface PasswordForm {
  password: string;
  confirm: string;
}

export function validatePasswordSetup(form: PasswordForm): FieldErrors {
  const error = passwordError(form.password);
  return collect([
    ['password', error],
    ['password-confirm', !error && form.confirm !== form.password ? 'portal_passwordMismatch' : undefined],
  ]);
}

// ---- Login ----

export interface LoginForm {
  role: Role;
  method: ProofMethod;
  unitCode: string;
  password: string;
}

/**
 * The unit code is needed when the unit logs in with the responsible person's NHI card; a clerk may
 * give it (needed only when assigned by more than one unit); a unit certificate names its unit.
 */
export function unitCodeNeed(role: Role, method: ProofMethod): 'required' | 'optional' | 'none' {
  if (role === 'clerk') return 'optional';
  return method === 'nhi-card' ? 'required' : 'none';
}

export function loginFields(form: Pick<LoginForm, 'role' | 'method'>): FieldId[] {
  const fields: FieldId[] = [];
  if (unitCodeNeed(form.role, form.method) !== 'none') fields.push('unit-code');
  if (form.method === 'nhi-card') fields.push('password');
  return fields;
}

export function validateLogin(form: LoginForm): FieldErrors {
  const need = unitCodeNeed(form.role, form.method);
  return collect([
    ['unit-code', need === 'none' ? undefined : unitCodeError(form.unitCode, need === 'required')],
    ['password', form.method === 'nhi-card' ? passwordError(form.password) : undefined],
  ]);
}

export function loginBody(form: LoginForm, proof: Proof): PortalBody<'login'> {
  const body: PortalBody<'login'> = { role: form.role, proof };
  const unitCode = normalise.unitCode(form.unitCode);
  if (unitCodeNeed(form.role, form.method) !== 'none' && unitCode) body.unitCode = unitCode;
  return body;
}

// ---- Clerks (單位管理者登錄作業) ----

export interface ClerkNhiForm {
  cardNumber: string;
  idNumber: string;
  name: string;
  email: string;
}

export const CLERK_NHI_FIELDS: readonly FieldId[] = ['card-number', 'id-number', 'name', 'email'];

export function validateClerkNhi(form: ClerkNhiForm): FieldErrors {
  return collect([
    ['card-number', cardNumberError(form.cardNumber)],
    ['id-number', idNumberError(form.idNumber)],
    ['name', nameError(form.name)],
    ['email', emailError(form.email)],
  ]);
}

export function clerkNhiBody(form: ClerkNhiForm): PortalBody<'addClerk'> {
  const email = normalise.email(form.email);
  return {
    kind: 'nhi-card',
    cardNumber: normalise.cardNumber(form.cardNumber),
    idNumber: normalise.idNumber(form.idNumber),
    name: normalise.name(form.name),
    ...(email ? { email } : {}),
  };
}

export function clerkCertificateBody(certificate: string, emailInput: string): PortalBody<'addClerk'> {
  const email = normalise.email(emailInput);
  return { kind: 'certificate', certificate, ...(email ? { email } : {}) };
}

// ---- Proofs ----

export function certificateProof(nonce: string, token: CertificateProof['token']): CertificateProof {
  return { kind: 'certificate', nonce, token };
}

export function nhiCardProof(nonce: string, answer: NhiCardAnswer, password: string): NhiCardProof {
  return { kind: 'nhi-card', nonce, cardNumber: answer.cardNumber, response: answer.response, password };
}

export interface ProofSteps {
  /** POST /api/nonces. */
  nonce: () => Promise<{ nonce: string }>;
  /** The extension's portal-authenticate (prompt: certificate and PIN). */
  authenticate: (nonce: string, purpose: PortalPurpose) => Promise<CertificateProof['token']>;
  /** The extension's portal-nhi-authenticate (prompt: the NHI card answers the challenge). */
  nhiAuthenticate: (nonce: string, purpose: PortalPurpose) => Promise<NhiCardAnswer>;
  /** Told when the card step starts (the page shows that the CardBridge window is open). */
  onCardStep?: () => void;
}

/** A fresh nonce, then the card's proof over it: every proof is single use. */
export async function obtainProof(
  steps: ProofSteps,
  method: ProofMethod,
  password: string,
  purpose: PortalPurpose,
): Promise<Proof> {
  const { nonce } = await steps.nonce();
  steps.onCardStep?.();
  if (method === 'certificate') return certificateProof(nonce, await steps.authenticate(nonce, purpose));
  return nhiCardProof(nonce, await steps.nhiAuthenticate(nonce, purpose), password);
}

// ---- Refusals next to their field ----

/** The portal's request fields (last part of `field`, e.g. "proof.password") → the page's inputs. */
const SERVER_FIELDS: Readonly<Record<string, FieldId>> = {
  unitCode: 'unit-code',
  email: 'email',
  password: 'password',
  idNumber: 'id-number',
  name: 'name',
};

/**
 * The input a refusal belongs to, if the form shows it. A proof's card number came from the card,
 * not from an input, so only a top-level `cardNumber` (adding a clerk) goes to #card-number.
 */
export function fieldForError(field: string | undefined, shown: readonly FieldId[]): FieldId | undefined {
  if (!field) return undefined;
  const last = field.split('.').pop() ?? '';
  // Own keys only: a field named "constructor" must not find Object.prototype's.
  const target =
    field === 'cardNumber'
      ? 'card-number'
      : Object.hasOwn(SERVER_FIELDS, last)
        ? SERVER_FIELDS[last]
        : undefined;
  return target && shown.includes(target) ? target : undefined;
}

// ---- What to tell the clerk about a failure ----

export interface Failure {
  /** The message key (portal_… or an ERR_… code) and its substitutions. */
  key: string;
  params: string[];
  /** The code for data-error (ERR_…). */
  code: string;
  /** The input the refusal belongs to, when the form shows it. */
  field?: FieldId;
}

/**
 * A failure of a portal call (PortalError: `code` ERR_PORTAL_…, `field`) or of a
 * card step (the extension's CardBridgeError, `code` ERR_…) → the message to show and where.
 */
export function describeFailure(error: unknown, shown: readonly FieldId[], portal: string): Failure {
  const e = error as { name?: unknown; code?: unknown; field?: unknown } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  // The portal's address is part of the text, so the clerk can check it in the settings.
  if (code === 'ERR_PORTAL_UNREACHABLE') return { key: 'portal_unreachable', params: [portal], code };
  if (code?.startsWith('ERR_')) {
    const field = fieldForError(typeof e?.field === 'string' ? e.field : undefined, shown);
    return { key: code, params: [], code, ...(field ? { field } : {}) };
  }
  return { key: 'ERR_PORTAL_INTERNAL', params: [], code: 'ERR_PORTAL_INTERNAL' };
}
