/**
 * The desk's pages and the forms they post (the contract between the server-rendered pages and the
 * routes that receive them): one path table and one TypeBox schema per form. The pages name their
 * fields from these schemas; the routes check every posted body with Value.Check before reading it.
 * Field values are strings as browsers post them (application/x-www-form-urlencoded); their rules
 * are shared/fields/rules.ts and shared/desk/formRules.ts.
 */
import { Type, type Static } from '@sinclair/typebox';

export const DESK_PATHS = {
  home: '/desk/',
  style: '/desk/desk.css',
  register: '/desk/register',
  activate: '/desk/activate',
  login: '/desk/login',
  logout: '/desk/logout',
  resetRequest: '/desk/reset',
  resetConfirm: '/desk/reset/confirm',
  account: '/desk/account',
  accountEmail: '/desk/account/email',
  accountPassword: '/desk/account/password',
  emailConfirm: '/desk/email/confirm',
  forms: '/desk/forms',
  formResend: '/desk/forms/resend',
  formAutoSend: '/desk/forms/auto-send',
  progress: '/desk/progress',
  file: '/desk/files/:id',
} as const;

export const deskFilePath = (id: string) => DESK_PATHS.file.replace(':id', encodeURIComponent(id));

const Field = Type.String({ maxLength: 500 });
/** Every state-changing form carries the CSRF token. */
const Csrf = { csrf: Type.String({ maxLength: 200 }) };
const Captcha = { captchaId: Type.String({ maxLength: 64 }), captcha: Field };

export const RegisterForm = Type.Object(
  {
    ...Csrf,
    ...Captcha,
    unitCode: Field,
    idNumber: Field,
    cardNumber: Field,
    email: Field,
    password: Field,
    passwordAgain: Field,
  },
  { additionalProperties: false },
);
export const LoginForm = Type.Object(
  { ...Csrf, ...Captcha, unitCode: Field, idNumber: Field, password: Field },
  { additionalProperties: false },
);
export const ResetRequestForm = Type.Object(
  { ...Csrf, ...Captcha, unitCode: Field, idNumber: Field, email: Field },
  { additionalProperties: false },
);
export const ResetConfirmForm = Type.Object(
  { ...Csrf, token: Field, password: Field, passwordAgain: Field },
  { additionalProperties: false },
);
/**
 * The button of a mailed link's page (activation, e-mail change): the link's GET only shows the page,
 * so a mail scanner that fetches links does not use them up; this POST does.
 */
export const LinkConfirmForm = Type.Object({ ...Csrf, token: Field }, { additionalProperties: false });
export const EmailChangeForm = Type.Object(
  { ...Csrf, newEmail: Field, currentPassword: Field },
  { additionalProperties: false },
);
export const PasswordChangeForm = Type.Object(
  { ...Csrf, currentPassword: Field, password: Field, passwordAgain: Field },
  { additionalProperties: false },
);
/** Checkboxes post nothing when none is ticked, one string for one, an array for several. */
export const ResendForm = Type.Object(
  {
    ...Csrf,
    documents: Type.Optional(Type.Union([Field, Type.Array(Field, { maxItems: 10 })])),
    fromMonth: Field,
    toMonth: Field,
  },
  { additionalProperties: false },
);
export const AutoSendForm = Type.Object(
  { ...Csrf, documents: Type.Optional(Type.Union([Field, Type.Array(Field, { maxItems: 10 })])) },
  { additionalProperties: false },
);
export const LogoutForm = Type.Object({ ...Csrf }, { additionalProperties: false });

export type RegisterFormBody = Static<typeof RegisterForm>;
export type LoginFormBody = Static<typeof LoginForm>;
export type ResetRequestFormBody = Static<typeof ResetRequestForm>;
export type ResetConfirmFormBody = Static<typeof ResetConfirmForm>;
export type LinkConfirmFormBody = Static<typeof LinkConfirmForm>;
export type EmailChangeFormBody = Static<typeof EmailChangeForm>;
export type PasswordChangeFormBody = Static<typeof PasswordChangeForm>;
export type ResendFormBody = Static<typeof ResendForm>;
export type AutoSendFormBody = Static<typeof AutoSendForm>;
