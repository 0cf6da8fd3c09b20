/**
 * Building blocks of the desk's pages (preact, rendered to strings at the server): the page frame,
 * labelled fields with their hint and their error beside them, the captcha, the CSRF field.
 * Every text comes from the desk's catalogue (shared/desk/messages.ts).
 */
import { h, type ComponentChildren } from 'preact';
import { DESK_PATHS } from '../../../../shared/desk/deskForms.ts';
import { deskText, type DeskLanguage, type DeskTextKey } from '../../../../shared/desk/messages.ts';
import type { DeskCaptcha } from '../captcha.ts';
import { problemText, type FormProblems } from '../problems.ts';

export interface PageContext {
  language: DeskLanguage;
  /** The page's own path (for the language switch). */
  path: string;
  csrf: string;
  /** The logged-in clerk, if any. */
  account?: { unitCode: string; idNumberMasked: string };
}

export const text = (page: PageContext, key: DeskTextKey, params?: Record<string, string | number>) =>
  deskText(key, page.language, params);

function Nav({ page }: { page: PageContext }) {
  const link = (href: string, key: DeskTextKey) =>
    h(
      'li',
      null,
      h('a', { href, ...(page.path === href ? { 'aria-current': 'page' } : {}) }, text(page, key)),
    );
  const other = page.language === 'zh-TW' ? 'en' : 'zh-TW';
  return h(
    'nav',
    { 'aria-label': text(page, 'mainNav') },
    h(
      'ul',
      null,
      link(DESK_PATHS.home, 'home'),
      page.account
        ? [
            link(DESK_PATHS.account, 'account'),
            link(DESK_PATHS.forms, 'forms'),
            link(DESK_PATHS.progress, 'progress'),
            h(
              'li',
              null,
              h(
                'form',
                { method: 'post', action: DESK_PATHS.logout, class: 'inline' },
                h('input', { type: 'hidden', name: 'csrf', value: page.csrf }),
                h('button', { type: 'submit' }, text(page, 'logout')),
              ),
            ),
          ]
        : [link(DESK_PATHS.register, 'register'), link(DESK_PATHS.login, 'login')],
      h(
        'li',
        null,
        h(
          'a',
          { href: `${page.path}?lang=${other}`, lang: other, hreflang: other },
          text(page, 'switchLanguage'),
        ),
      ),
    ),
  );
}

export function Page({
  page,
  title,
  children,
}: {
  page: PageContext;
  title: string;
  children?: ComponentChildren;
}) {
  return h(
    'html',
    { lang: page.language },
    h(
      'head',
      null,
      h('meta', { charset: 'utf-8' }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('title', null, `${title} - ${text(page, 'siteName')}`),
      h('link', { rel: 'stylesheet', href: DESK_PATHS.style }),
    ),
    h(
      'body',
      null,
      h('a', { href: '#main', class: 'skip' }, text(page, 'skipToMain')),
      h(
        'header',
        null,
        h('p', { class: 'site' }, text(page, 'siteName')),
        page.account
          ? h(
              'p',
              null,
              text(page, 'loggedInAs', { unit: page.account.unitCode, id: page.account.idNumberMasked }),
            )
          : null,
        h(Nav, { page }),
      ),
      h('main', { id: 'main', tabIndex: -1 }, h('h1', null, title), children),
      h('footer', null, h('p', null, text(page, 'testNotice'))),
    ),
  );
}

export const CsrfField = ({ page }: { page: PageContext }) =>
  h('input', { type: 'hidden', name: 'csrf', value: page.csrf });

/** The list of problems at the top (links to each field), read first by screen readers. */
export function ErrorSummary({
  page,
  problems,
  idPrefix = '',
}: {
  page: PageContext;
  problems: FormProblems | undefined;
  idPrefix?: string;
}) {
  const list = Object.values(problems ?? {});
  if (list.length === 0) return null;
  return h(
    'div',
    { class: 'error-summary', role: 'alert' },
    h('p', null, text(page, 'errorSummary')),
    h(
      'ul',
      null,
      list.map((p) =>
        h('li', null, h('a', { href: `#${idPrefix}${p.field}` }, problemText(p, page.language))),
      ),
    ),
  );
}

export interface FieldProps {
  page: PageContext;
  name: string;
  label: DeskTextKey;
  type?: 'text' | 'email' | 'password' | 'month';
  value?: string;
  hint?: string;
  problems?: FormProblems | undefined;
  autocomplete?: string;
  inputmode?: 'numeric' | 'text';
  /** Keeps ids unique when two forms on one page have a field of the same name. */
  idPrefix?: string;
}

/** A labelled input with its hint and, when refused, its error right beside it. */
export function Field(props: FieldProps) {
  const { page, name, problems } = props;
  const id = `${props.idPrefix ?? ''}${name}`;
  const problem = problems?.[name];
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.hint ? hintId : '', problem ? errorId : ''].filter(Boolean).join(' ');
  return h(
    'div',
    { class: problem ? 'field invalid' : 'field' },
    h('label', { for: id }, text(page, props.label)),
    props.hint ? h('p', { id: hintId, class: 'hint' }, props.hint) : null,
    problem ? h('p', { id: errorId, class: 'error' }, problemText(problem, page.language)) : null,
    h('input', {
      id,
      name,
      type: props.type ?? 'text',
      value: props.type === 'password' ? '' : (props.value ?? ''),
      required: true,
      ...(props.autocomplete ? { autocomplete: props.autocomplete } : {}),
      ...(props.inputmode ? { inputmode: props.inputmode } : {}),
      ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      ...(problem ? { 'aria-invalid': 'true' } : {}),
    }),
  );
}

/** The captcha picture (inline SVG), its text alternative, and the one answer field. */
export function CaptchaField({
  page,
  captcha,
  problems,
}: {
  page: PageContext;
  captcha: DeskCaptcha;
  problems?: FormProblems | undefined;
}) {
  return h(
    'div',
    { class: 'captcha' },
    h('input', { type: 'hidden', name: 'captchaId', value: captcha.id }),
    h('div', { class: 'captcha-image', dangerouslySetInnerHTML: { __html: captcha.svg } }),
    h(
      'p',
      { id: 'captcha-question' },
      text(page, 'captchaAlternative', { question: captcha.question[page.language] }),
    ),
    h(Field, {
      page,
      name: 'captcha',
      label: 'captcha',
      hint: text(page, 'captchaHint'),
      problems,
      autocomplete: 'off',
    }),
  );
}

export function Notice({ children }: { children?: ComponentChildren }) {
  return h('p', { class: 'notice', role: 'status' }, children);
}
