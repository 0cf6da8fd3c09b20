/** The desk's pages (首頁, 註冊, 登入, 重設密碼, 帳號中心, 表單申請, 表單產生進度查詢及下載, messages). */
import { h, type ComponentChildren } from 'preact';
import { DESK_PATHS, deskFilePath } from '../../../../shared/desk/deskForms.ts';
import { DESK_DATE_RULES, RESEND_DOCUMENTS, type ResendDocument } from '../../../../shared/desk/formRules.ts';
import type { DeskTextKey } from '../../../../shared/desk/messages.ts';
import { formatClerkDate } from '../../../../shared/tw/clerkDate.ts';
import { rocDisplayMonth } from '../../../../shared/tw/rocDate.ts';
import { taipeiNow } from '../../../../shared/tw/taipeiTime.ts';
import type { DeskCaptcha } from '../captcha.ts';
import type { RequestView } from '../formRequests.ts';
import { problemText, type FormProblems } from '../problems.ts';
import { DESK_SETTINGS } from '../settings.ts';
import {
  CaptchaField,
  CsrfField,
  ErrorSummary,
  Field,
  Notice,
  Page,
  text,
  type PageContext,
} from './parts.ts';

/** A time as a clerk reads it: Taipei, ROC date. */
export function clerkTime(isoTime: string): string {
  const t = taipeiNow(new Date(isoTime));
  return `${formatClerkDate(t.date)} ${t.time}`;
}

type Values = Record<string, string>;

function PostForm(props: {
  page: PageContext;
  action: string;
  children?: ComponentChildren;
  label?: string;
}) {
  return h(
    'form',
    {
      method: 'post',
      action: props.action,
      novalidate: true,
      ...(props.label ? { 'aria-label': props.label } : {}),
    },
    h(CsrfField, { page: props.page }),
    props.children,
  );
}

const Submit = ({ page, label }: { page: PageContext; label: DeskTextKey }) =>
  h('button', { type: 'submit' }, text(page, label));

export function HomePage({ page }: { page: PageContext }) {
  return h(
    Page,
    { page, title: text(page, 'home') },
    h('p', null, text(page, 'homeIntro')),
    page.account
      ? h(
          'ul',
          null,
          h('li', null, h('a', { href: DESK_PATHS.forms }, text(page, 'forms'))),
          h('li', null, h('a', { href: DESK_PATHS.progress }, text(page, 'progress'))),
        )
      : h(
          'ul',
          null,
          h('li', null, h('a', { href: DESK_PATHS.login }, text(page, 'login'))),
          h('li', null, h('a', { href: DESK_PATHS.register }, text(page, 'register'))),
        ),
  );
}

export function MessagePage({ page, title, body }: { page: PageContext; title: DeskTextKey; body: string }) {
  return h(
    Page,
    { page, title: text(page, title) },
    h(Notice, null, body),
    h('p', null, h('a', { href: DESK_PATHS.home }, text(page, 'backHome'))),
  );
}

/** A mailed link's page: what the link does and a button that does it (POST with the token). */
export function LinkConfirmPage({
  page,
  title,
  intro,
  submit,
  action,
  token,
}: {
  page: PageContext;
  title: DeskTextKey;
  intro: DeskTextKey;
  submit: DeskTextKey;
  action: string;
  token: string;
}) {
  return h(
    Page,
    { page, title: text(page, title) },
    h('p', null, text(page, intro)),
    h(
      PostForm,
      { page, action },
      h('input', { type: 'hidden', name: 'token', value: token }),
      h(Submit, { page, label: submit }),
    ),
  );
}

interface FormPageProps {
  page: PageContext;
  captcha: DeskCaptcha;
  problems?: FormProblems | undefined;
  values?: Values;
}

export function RegisterPage({ page, captcha, problems, values = {} }: FormPageProps) {
  const min = DESK_SETTINGS.minPasswordLength;
  return h(
    Page,
    { page, title: text(page, 'register') },
    h(ErrorSummary, { page, problems }),
    h(
      PostForm,
      { page, action: DESK_PATHS.register },
      h(Field, {
        page,
        name: 'unitCode',
        label: 'unitCode',
        value: values.unitCode,
        hint: text(page, 'unitCodeHint'),
        problems,
        inputmode: 'numeric',
      }),
      h(Field, {
        page,
        name: 'idNumber',
        label: 'idNumber',
        value: values.idNumber,
        hint: text(page, 'idNumberHint'),
        problems,
      }),
      h(Field, {
        page,
        name: 'cardNumber',
        label: 'cardNumber',
        value: values.cardNumber,
        hint: text(page, 'cardNumberHint'),
        problems,
        inputmode: 'numeric',
      }),
      h(Field, {
        page,
        name: 'email',
        label: 'email',
        type: 'email',
        value: values.email,
        problems,
        autocomplete: 'email',
      }),
      h(Field, {
        page,
        name: 'password',
        label: 'password',
        type: 'password',
        hint: text(page, 'passwordHint', { min }),
        problems,
        autocomplete: 'new-password',
      }),
      h(Field, {
        page,
        name: 'passwordAgain',
        label: 'passwordAgain',
        type: 'password',
        problems,
        autocomplete: 'new-password',
      }),
      h(CaptchaField, { page, captcha, problems }),
      h(Submit, { page, label: 'submitRegister' }),
    ),
  );
}

export function LoginPage({
  page,
  captcha,
  problems,
  values = {},
  lockedUntil,
}: FormPageProps & { lockedUntil?: string }) {
  const shown = { ...problems };
  // The lockout names its end in Taipei time.
  if (lockedUntil && shown.password?.kind === 'account')
    shown.password = { ...shown.password, params: { until: clerkTime(lockedUntil) } };
  return h(
    Page,
    { page, title: text(page, 'login') },
    h(ErrorSummary, { page, problems: shown }),
    h(
      PostForm,
      { page, action: DESK_PATHS.login },
      h(Field, {
        page,
        name: 'unitCode',
        label: 'unitCode',
        value: values.unitCode,
        problems: shown,
        inputmode: 'numeric',
      }),
      h(Field, {
        page,
        name: 'idNumber',
        label: 'idNumber',
        value: values.idNumber,
        problems: shown,
        autocomplete: 'username',
      }),
      h(Field, {
        page,
        name: 'password',
        label: 'password',
        type: 'password',
        problems: shown,
        autocomplete: 'current-password',
      }),
      h(CaptchaField, { page, captcha, problems: shown }),
      h(Submit, { page, label: 'submitLogin' }),
    ),
    h('p', null, h('a', { href: DESK_PATHS.resetRequest }, text(page, 'forgotPassword'))),
  );
}

export function ResetRequestPage({ page, captcha, problems, values = {} }: FormPageProps) {
  return h(
    Page,
    { page, title: text(page, 'resetTitle') },
    h('p', null, text(page, 'resetIntro')),
    h(ErrorSummary, { page, problems }),
    h(
      PostForm,
      { page, action: DESK_PATHS.resetRequest },
      h(Field, {
        page,
        name: 'unitCode',
        label: 'unitCode',
        value: values.unitCode,
        problems,
        inputmode: 'numeric',
      }),
      h(Field, { page, name: 'idNumber', label: 'idNumber', value: values.idNumber, problems }),
      h(Field, {
        page,
        name: 'email',
        label: 'email',
        type: 'email',
        value: values.email,
        problems,
        autocomplete: 'email',
      }),
      h(CaptchaField, { page, captcha, problems }),
      h(Submit, { page, label: 'submitResetRequest' }),
    ),
  );
}

export function ResetConfirmPage({
  page,
  token,
  problems,
}: {
  page: PageContext;
  token: string;
  problems?: FormProblems | undefined;
}) {
  return h(
    Page,
    { page, title: text(page, 'resetTitle') },
    h(ErrorSummary, { page, problems }),
    h(
      PostForm,
      { page, action: DESK_PATHS.resetConfirm },
      h('input', { type: 'hidden', name: 'token', value: token }),
      h(Field, {
        page,
        name: 'password',
        label: 'newPassword',
        type: 'password',
        hint: text(page, 'passwordHint', { min: DESK_SETTINGS.minPasswordLength }),
        problems,
        autocomplete: 'new-password',
      }),
      h(Field, {
        page,
        name: 'passwordAgain',
        label: 'passwordAgain',
        type: 'password',
        problems,
        autocomplete: 'new-password',
      }),
      h(Submit, { page, label: 'submitNewPassword' }),
    ),
  );
}

export interface AccountPageProps {
  page: PageContext;
  email: string;
  logins: { at: string; outcome: 'success' | 'failure' | 'locked'; client_ip: string | null }[];
  emailProblems?: FormProblems | undefined;
  passwordProblems?: FormProblems | undefined;
  notice?: string;
}

const OUTCOME_TEXT = {
  success: 'outcomeSuccess',
  failure: 'outcomeFailure',
  locked: 'outcomeLocked',
} as const;

export function AccountPage(props: AccountPageProps) {
  const { page } = props;
  return h(
    Page,
    { page, title: text(page, 'account') },
    props.notice ? h(Notice, null, props.notice) : null,
    h('p', null, text(page, 'currentEmail', { email: props.email })),
    h(
      'section',
      { 'aria-labelledby': 'email-heading' },
      h('h2', { id: 'email-heading' }, text(page, 'changeEmailTitle')),
      h(ErrorSummary, { page, problems: props.emailProblems, idPrefix: 'email-' }),
      h(
        PostForm,
        { page, action: DESK_PATHS.accountEmail },
        h(Field, {
          page,
          name: 'newEmail',
          label: 'newEmail',
          type: 'email',
          problems: props.emailProblems,
          idPrefix: 'email-',
          autocomplete: 'email',
        }),
        h(Field, {
          page,
          name: 'currentPassword',
          label: 'currentPassword',
          type: 'password',
          problems: props.emailProblems,
          idPrefix: 'email-',
          autocomplete: 'current-password',
        }),
        h(Submit, { page, label: 'submitChange' }),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'password-heading' },
      h('h2', { id: 'password-heading' }, text(page, 'changePasswordTitle')),
      h(ErrorSummary, { page, problems: props.passwordProblems, idPrefix: 'pw-' }),
      h(
        PostForm,
        { page, action: DESK_PATHS.accountPassword },
        h(Field, {
          page,
          name: 'currentPassword',
          label: 'currentPassword',
          type: 'password',
          problems: props.passwordProblems,
          idPrefix: 'pw-',
          autocomplete: 'current-password',
        }),
        h(Field, {
          page,
          name: 'password',
          label: 'newPassword',
          type: 'password',
          hint: text(page, 'passwordHint', { min: DESK_SETTINGS.minPasswordLength }),
          problems: props.passwordProblems,
          idPrefix: 'pw-',
          autocomplete: 'new-password',
        }),
        h(Field, {
          page,
          name: 'passwordAgain',
          label: 'passwordAgain',
          type: 'password',
          problems: props.passwordProblems,
          idPrefix: 'pw-',
          autocomplete: 'new-password',
        }),
        h(Submit, { page, label: 'submitChange' }),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'logins-heading' },
      h('h2', { id: 'logins-heading' }, text(page, 'recentLogins')),
      h(
        'table',
        null,
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ...(['time', 'outcome', 'clientAddress'] as const).map((k) =>
              h('th', { scope: 'col' }, text(page, k)),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          props.logins.map((l) =>
            h(
              'tr',
              null,
              h('td', null, clerkTime(l.at)),
              h('td', null, text(page, OUTCOME_TEXT[l.outcome])),
              h('td', null, l.client_ip ?? '-'),
            ),
          ),
        ),
      ),
    ),
  );
}

const DOCUMENT_TEXT: Readonly<Record<ResendDocument, DeskTextKey>> = {
  slip: 'docSlip',
  detail: 'docDetail',
  summary: 'docSummary',
};

function DocumentChoice({
  page,
  problems,
  idPrefix,
  chosen,
}: {
  page: PageContext;
  problems?: FormProblems | undefined;
  idPrefix: string;
  chosen: readonly string[];
}) {
  const problem = problems?.documents;
  const errorId = `${idPrefix}documents-error`;
  return h(
    'fieldset',
    {
      id: `${idPrefix}documents`,
      class: problem ? 'invalid' : '',
      ...(problem ? { 'aria-describedby': errorId } : {}),
    },
    h('legend', null, text(page, 'documents')),
    problem ? h('p', { id: errorId, class: 'error' }, problemTextOf(page, problem)) : null,
    RESEND_DOCUMENTS.map((d) =>
      h(
        'div',
        { class: 'choice' },
        h('input', {
          type: 'checkbox',
          id: `${idPrefix}doc-${d}`,
          name: 'documents',
          value: d,
          ...(chosen.includes(d) ? { checked: true } : {}),
        }),
        h('label', { for: `${idPrefix}doc-${d}` }, text(page, DOCUMENT_TEXT[d])),
      ),
    ),
  );
}

const problemTextOf = (page: PageContext, problem: NonNullable<FormProblems[string]>) =>
  problemText(problem, page.language);

export interface FormsPageProps {
  page: PageContext;
  window: { earliest: string; latest: string; latestAvailableFrom: string };
  autoSendFirstMonth: string;
  resendProblems?: FormProblems | undefined;
  autoSendProblems?: FormProblems | undefined;
  values?: { fromMonth?: string; toMonth?: string; documents?: readonly string[] };
  notice?: string;
}

export function FormsPage(props: FormsPageProps) {
  const { page } = props;
  const values = props.values ?? {};
  return h(
    Page,
    { page, title: text(page, 'forms') },
    props.notice
      ? h(Notice, null, props.notice, ' ', h('a', { href: DESK_PATHS.progress }, text(page, 'progress')))
      : null,
    h(
      'section',
      { 'aria-labelledby': 'resend-heading' },
      h('h2', { id: 'resend-heading' }, text(page, 'resendTitle')),
      h('h3', null, text(page, 'rulesHeading')),
      h(
        'ul',
        { class: 'rules' },
        h('li', null, text(page, 'ruleMax', { max: DESK_DATE_RULES.maxMonthsPerRequest })),
        h(
          'li',
          null,
          text(page, 'ruleRange', {
            earliest: rocDisplayMonth(props.window.earliest),
            latest: rocDisplayMonth(props.window.latest),
          }),
        ),
        h(
          'li',
          null,
          text(page, 'ruleLatest', { availableFrom: formatClerkDate(props.window.latestAvailableFrom) }),
        ),
      ),
      h(ErrorSummary, { page, problems: props.resendProblems, idPrefix: 'resend-' }),
      h(
        PostForm,
        { page, action: DESK_PATHS.formResend },
        h(DocumentChoice, {
          page,
          problems: props.resendProblems,
          idPrefix: 'resend-',
          chosen: values.documents ?? RESEND_DOCUMENTS,
        }),
        h(Field, {
          page,
          name: 'fromMonth',
          label: 'fromMonth',
          value: values.fromMonth ?? props.window.latest,
          hint: text(page, 'monthHint'),
          problems: props.resendProblems,
          idPrefix: 'resend-',
          inputmode: 'numeric',
        }),
        h(Field, {
          page,
          name: 'toMonth',
          label: 'toMonth',
          value: values.toMonth ?? props.window.latest,
          hint: text(page, 'monthHint'),
          problems: props.resendProblems,
          idPrefix: 'resend-',
          inputmode: 'numeric',
        }),
        h(Submit, { page, label: 'submitResend' }),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'auto-heading' },
      h('h2', { id: 'auto-heading' }, text(page, 'autoSendTitle')),
      h('h3', null, text(page, 'rulesHeading')),
      h(
        'ul',
        { class: 'rules' },
        h('li', null, text(page, 'ruleAutoSend', { firstMonth: rocDisplayMonth(props.autoSendFirstMonth) })),
      ),
      h(ErrorSummary, { page, problems: props.autoSendProblems, idPrefix: 'auto-' }),
      h(
        PostForm,
        { page, action: DESK_PATHS.formAutoSend },
        h(DocumentChoice, {
          page,
          problems: props.autoSendProblems,
          idPrefix: 'auto-',
          chosen: RESEND_DOCUMENTS,
        }),
        h(Submit, { page, label: 'submitAutoSend' }),
      ),
    ),
  );
}

const STATE_TEXT = {
  queued: 'stateQueued',
  generating: 'stateGenerating',
  ready: 'stateReady',
  expired: 'stateExpired',
  failed: 'stateFailed',
} as const;

export function ProgressPage({
  page,
  requests,
  keepDays,
}: {
  page: PageContext;
  requests: RequestView[];
  keepDays: number;
}) {
  const head = [
    'requestNo',
    'requestKind',
    'requestMonths',
    'requestCreated',
    'requestState',
    'requestExpires',
    'requestFiles',
  ] as const;
  return h(
    Page,
    { page, title: text(page, 'progress') },
    h('p', null, text(page, 'keepDays', { days: keepDays })),
    requests.length === 0
      ? h('p', null, text(page, 'noRequests'))
      : h(
          'table',
          null,
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              head.map((k) => h('th', { scope: 'col' }, text(page, k))),
            ),
          ),
          h(
            'tbody',
            null,
            requests.map(({ request, files }) =>
              h(
                'tr',
                { 'data-state': request.state },
                h('td', null, request.id.slice(-8)),
                h('td', null, text(page, request.kind === 'resend' ? 'resendTitle' : 'autoSendTitle')),
                h('td', null, (JSON.parse(request.months) as string[]).map(rocDisplayMonth).join('、')),
                h('td', null, clerkTime(request.created_at)),
                h('td', { class: 'state' }, text(page, STATE_TEXT[request.state])),
                h('td', null, request.expires_at ? clerkTime(request.expires_at) : '-'),
                h(
                  'td',
                  null,
                  files.length === 0
                    ? '-'
                    : h(
                        'ul',
                        null,
                        files.map((f) =>
                          h(
                            'li',
                            null,
                            h(
                              'a',
                              { href: deskFilePath(f.id), download: f.name },
                              text(page, 'download', { name: f.name }),
                            ),
                          ),
                        ),
                      ),
                ),
              ),
            ),
          ),
        ),
  );
}
