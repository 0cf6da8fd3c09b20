/**
 * The desk's pages under /desk/ (承保業務網路服務專區): ordinary server-rendered pages whose forms
 * POST (no script needed), in their own fastify context with form bodies, cookies, a CSP that
 * allows only the desk's own style sheet and form targets, and HTML refusal pages. Every posted
 * body is checked against its schema in shared/desk/deskForms.ts; every state-changing form carries
 * a CSRF token (double-submit: an HttpOnly SameSite=Strict cookie and a hidden field, compared in
 * constant time), and a refusal is audited.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { Value } from '@sinclair/typebox/value';
import type { TSchema, Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import * as forms from '../../../shared/desk/deskForms.ts';
import { DESK_PATHS } from '../../../shared/desk/deskForms.ts';
import { autoSendStart, resendWindow } from '../../../shared/desk/formRules.ts';
import {
  deskAccountError,
  deskText,
  type DeskLanguage,
  type DeskTextKey,
} from '../../../shared/desk/messages.ts';
import { portalErrorText } from '../../../shared/portal/errors.ts';
import { toPortalError } from '../routes/errors.ts';
import type { DeskAccount } from '../db/schema.ts';
import type { DeskFormsJob } from '../jobs/deskForms.ts';
import { wasAudited, writeAudit } from '../services/audit.ts';
import type { PortalContext } from '../services/context.ts';
import { maskIdNumber } from '../services/mask.ts';
import {
  changePassword,
  confirmEmailChange,
  confirmPasswordReset,
  isLiveToken,
  recentLogins,
  requestEmailChange,
  requestPasswordReset,
} from './accountCentre.ts';
import { createCaptcha } from './captcha.ts';
import { deskSessionAccount, endDeskSession } from './deskSessions.ts';
import { applyAutoSend, applyResend, unitBillingCycle, unitFile, unitRequests } from './formRequests.ts';
import { logIn } from './login.ts';
import type { PageContext } from './pages/parts.ts';
import * as pages from './pages/pages.ts';
import type { FormProblems } from './problems.ts';
import { activateAccount, registerAccount } from './registration.ts';
import { DESK_SETTINGS } from './settings.ts';
import { DESK_CSS } from './style.ts';
import { newSecret, sameSecret } from './tokens.ts';

/** Only the desk's own style sheet, its own form targets; nothing else (inline SVG needs no source). */
export const DESK_CSP =
  "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const COOKIE = DESK_SETTINGS.cookies;

export function deskRoutes(app: FastifyInstance, ctx: PortalContext, job: DeskFormsJob): void {
  const secure = ctx.config.origin.startsWith('https:');
  const cookieOptions = { path: '/desk', httpOnly: true, sameSite: 'strict', secure } as const;
  // Every post is limited per client address: the unauthenticated ones against floods and guessing,
  // those of a session against a stolen cookie trying current passwords or flooding the form job.
  const authLimit = {
    rateLimit: { max: ctx.config.desk.rateLimitMax, timeWindow: ctx.config.desk.rateLimitWindowMs },
  };

  void app.register(async (desk) => {
    // HTML pages, not API: kept out of /openapi.json.
    desk.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    await desk.register(formbody);
    await desk.register(cookie);
    desk.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('content-security-policy', DESK_CSP);
      // no-referrer would make browsers send `Origin: null` with the forms, which the portal refuses;
      // same-origin still sends nothing to other sites.
      reply.header('referrer-policy', 'same-origin');
      done(null, payload);
    });

    function language(request: FastifyRequest, reply: FastifyReply): DeskLanguage {
      const asked = (request.query as { lang?: unknown } | undefined)?.lang;
      if (asked === 'en' || asked === 'zh-TW') {
        reply.setCookie(COOKIE.language, asked, { ...cookieOptions, maxAge: 365 * 86_400 });
        return asked;
      }
      return request.cookies[COOKIE.language] === 'en' ? 'en' : 'zh-TW';
    }

    function csrfToken(request: FastifyRequest, reply: FastifyReply): string {
      const existing = request.cookies[COOKIE.csrf];
      if (existing && existing.length <= 100) return existing;
      const token = newSecret();
      reply.setCookie(COOKIE.csrf, token, cookieOptions);
      return token;
    }

    const currentAccount = (request: FastifyRequest) =>
      deskSessionAccount(ctx, request.cookies[COOKIE.session]);

    function pageContext(request: FastifyRequest, reply: FastifyReply, account?: DeskAccount): PageContext {
      return {
        language: language(request, reply),
        path: request.url.split('?')[0]!,
        csrf: csrfToken(request, reply),
        ...(account
          ? { account: { unitCode: account.unit_code, idNumberMasked: maskIdNumber(account.id_number) } }
          : {}),
      };
    }

    // Any page component's element (their props differ; rendering needs none of them).
    const render = (reply: FastifyReply, page: object, status = 200) =>
      reply
        .code(status)
        .type('text/html; charset=utf-8')
        .send(`<!doctype html>${renderToString(page as VNode)}`);

    const captcha = (page: PageContext) => createCaptcha(ctx, deskText('captchaImageAlt', page.language));

    /** The posted body if it has the form's shape and carries the right CSRF token; else a refusal page is sent. */
    async function checkedForm<S extends TSchema>(
      schema: S,
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<Static<S> | undefined> {
      const body: unknown = request.body;
      const cookieToken = request.cookies[COOKIE.csrf];
      const given = typeof body === 'object' && body !== null ? (body as { csrf?: unknown }).csrf : undefined;
      const csrfOk = typeof given === 'string' && cookieToken !== undefined && sameSecret(given, cookieToken);
      if (csrfOk && Value.Check(schema, body)) return body;
      await writeAudit(ctx, {
        event: 'desk-form-refused',
        outcome: 'refused',
        errorCode: 'ERR_DESK_CSRF',
        clientIp: request.ip,
        detail: `${request.method} ${request.url.slice(0, 200)} ${csrfOk ? 'malformed form' : 'csrf token missing or wrong'}`,
      });
      const page = pageContext(request, reply);
      await render(
        reply,
        h_message(page, 'csrfTitle', deskAccountError('ERR_DESK_CSRF', page.language)),
        403,
      );
      return undefined;
    }

    const h_message = (
      page: PageContext,
      title: Parameters<typeof pages.MessagePage>[0]['title'],
      body: string,
    ) => pages.MessagePage({ page, title, body });

    /** The logged-in account, or a redirect to the login page. */
    async function loggedIn(request: FastifyRequest, reply: FastifyReply): Promise<DeskAccount | undefined> {
      const account = await currentAccount(request);
      if (!account) await reply.redirect(DESK_PATHS.login, 303);
      return account;
    }

    const valuesOf = (body: Record<string, unknown>, names: readonly string[]) =>
      Object.fromEntries(names.map((n) => [n, typeof body[n] === 'string' ? body[n] : '']));

    // Refusals before or outside the handlers (rate limit, origin, malformed bodies) as pages.
    desk.setErrorHandler(async (error, request, reply) => {
      const refusal = toPortalError(error);
      const limited = refusal.code === 'ERR_PORTAL_RATE_LIMITED';
      if (refusal.code === 'ERR_PORTAL_INTERNAL') request.log.error({ err: error }, 'desk page failed');
      if (!wasAudited(error)) {
        await writeAudit(ctx, {
          event: limited ? 'desk-rate-limited' : 'request-refused',
          outcome: 'refused',
          errorCode: limited ? 'ERR_DESK_RATE_LIMITED' : refusal.code,
          clientIp: request.ip,
          detail: `${request.method} ${request.url.slice(0, 200)}`,
        }).catch((auditError: unknown) => request.log.error({ err: auditError }, 'audit failed'));
      }
      const page: PageContext = { language: 'zh-TW', path: request.url.split('?')[0]!, csrf: '' };
      page.language = request.cookies?.[COOKIE.language] === 'en' ? 'en' : 'zh-TW';
      const body = limited
        ? deskAccountError('ERR_DESK_RATE_LIMITED', page.language)
        : portalErrorText(refusal.code, page.language);
      return render(reply, h_message(page, 'refusedTitle', body), refusal.statusCode);
    });

    desk.get(DESK_PATHS.style, (_request, reply) => reply.type('text/css; charset=utf-8').send(DESK_CSS));

    desk.get(DESK_PATHS.home, async (request, reply) => {
      const account = await currentAccount(request);
      return render(reply, pages.HomePage({ page: pageContext(request, reply, account) }));
    });
    desk.get('/desk', (_request, reply) => reply.redirect(DESK_PATHS.home, 301));

    // --- registration and activation
    desk.get(DESK_PATHS.register, async (request, reply) => {
      const page = pageContext(request, reply);
      return render(reply, pages.RegisterPage({ page, captcha: await captcha(page) }));
    });
    desk.post(DESK_PATHS.register, { config: authLimit }, async (request, reply) => {
      const form = await checkedForm(forms.RegisterForm, request, reply);
      if (!form) return reply;
      const page = pageContext(request, reply);
      const outcome = await registerAccount(ctx, form, request.ip);
      if (outcome.ok)
        return render(reply, h_message(page, 'registeredTitle', deskText('registeredBody', page.language)));
      const values = valuesOf(form, ['unitCode', 'idNumber', 'cardNumber', 'email']);
      return render(
        reply,
        pages.RegisterPage({
          page,
          captcha: await captcha(page),
          problems: outcome.problems.byField,
          values,
        }),
        400,
      );
    });
    /** A mailed link's page: live → the page with its button; used, expired or unknown → the clear refusal. */
    const linkInvalid = (page: PageContext, reply: FastifyReply) =>
      render(
        reply,
        h_message(page, 'linkInvalidTitle', deskAccountError('ERR_DESK_LINK_INVALID', page.language)),
        410,
      );
    /**
     * A mailed link (activation, e-mail change): its GET only shows a page with a button (mail
     * scanners fetch links); the button's POST, CSRF-checked, uses the token.
     */
    function mailedLink(link: {
      path: string;
      purpose: 'activate' | 'email';
      texts: {
        title: DeskTextKey;
        intro: DeskTextKey;
        submit: DeskTextKey;
        doneTitle: DeskTextKey;
        done: DeskTextKey;
      };
      use: (token: string, clientIp: string) => Promise<boolean>;
    }): void {
      const { path, purpose, texts } = link;
      desk.get(path, async (request, reply) => {
        const page = pageContext(request, reply);
        const token = (request.query as { token?: unknown }).token;
        if (typeof token !== 'string' || !(await isLiveToken(ctx, token, purpose)))
          return linkInvalid(page, reply);
        const { title, intro, submit } = texts;
        return render(reply, pages.LinkConfirmPage({ page, title, intro, submit, action: path, token }));
      });
      desk.post(path, { config: authLimit }, async (request, reply) => {
        const form = await checkedForm(forms.LinkConfirmForm, request, reply);
        if (!form) return reply;
        const page = pageContext(request, reply);
        if (!(await link.use(form.token, request.ip))) return linkInvalid(page, reply);
        return render(reply, h_message(page, texts.doneTitle, deskText(texts.done, page.language)));
      });
    }
    mailedLink({
      path: DESK_PATHS.activate,
      purpose: 'activate',
      texts: {
        title: 'activateTitle',
        intro: 'activateIntro',
        submit: 'submitActivate',
        doneTitle: 'activatedTitle',
        done: 'activatedBody',
      },
      use: (token, clientIp) => activateAccount(ctx, token, clientIp),
    });

    // --- login and logout
    desk.get(DESK_PATHS.login, async (request, reply) => {
      const page = pageContext(request, reply);
      return render(reply, pages.LoginPage({ page, captcha: await captcha(page) }));
    });
    desk.post(DESK_PATHS.login, { config: authLimit }, async (request, reply) => {
      const form = await checkedForm(forms.LoginForm, request, reply);
      if (!form) return reply;
      const outcome = await logIn(ctx, form, request.ip);
      if (outcome.ok) {
        reply.setCookie(COOKIE.session, outcome.sessionToken, {
          ...cookieOptions,
          maxAge: Math.floor(ctx.config.sessionTtlMs / 1000),
        });
        // A new CSRF token with the new session.
        reply.setCookie(COOKIE.csrf, newSecret(), cookieOptions);
        return reply.redirect(DESK_PATHS.forms, 303);
      }
      const page = pageContext(request, reply);
      const values = valuesOf(form, ['unitCode', 'idNumber']);
      const locked = 'lockedUntil' in outcome ? { lockedUntil: outcome.lockedUntil.toISOString() } : {};
      return render(
        reply,
        pages.LoginPage({
          page,
          captcha: await captcha(page),
          problems: outcome.problems.byField,
          values,
          ...locked,
        }),
        'lockedUntil' in outcome ? 429 : 400,
      );
    });
    desk.post(DESK_PATHS.logout, async (request, reply) => {
      const form = await checkedForm(forms.LogoutForm, request, reply);
      if (!form) return reply;
      await endDeskSession(ctx, request.cookies[COOKIE.session]);
      reply.clearCookie(COOKIE.session, cookieOptions);
      const page = pageContext(request, reply);
      return render(reply, h_message(page, 'logout', deskText('loggedOutBody', page.language)));
    });

    // --- password reset
    desk.get(DESK_PATHS.resetRequest, async (request, reply) => {
      const page = pageContext(request, reply);
      return render(reply, pages.ResetRequestPage({ page, captcha: await captcha(page) }));
    });
    desk.post(DESK_PATHS.resetRequest, { config: authLimit }, async (request, reply) => {
      const form = await checkedForm(forms.ResetRequestForm, request, reply);
      if (!form) return reply;
      const page = pageContext(request, reply);
      const outcome = await requestPasswordReset(ctx, form, request.ip);
      if (outcome.ok)
        return render(reply, h_message(page, 'resetTitle', deskText('resetSentBody', page.language)));
      const values = valuesOf(form, ['unitCode', 'idNumber', 'email']);
      return render(
        reply,
        pages.ResetRequestPage({
          page,
          captcha: await captcha(page),
          problems: outcome.problems.byField,
          values,
        }),
        400,
      );
    });
    desk.get(DESK_PATHS.resetConfirm, async (request, reply) => {
      const page = pageContext(request, reply);
      const token = (request.query as { token?: unknown }).token;
      if (typeof token === 'string' && (await isLiveToken(ctx, token, 'reset')))
        return render(reply, pages.ResetConfirmPage({ page, token }));
      return linkInvalid(page, reply);
    });
    desk.post(DESK_PATHS.resetConfirm, { config: authLimit }, async (request, reply) => {
      const form = await checkedForm(forms.ResetConfirmForm, request, reply);
      if (!form) return reply;
      const page = pageContext(request, reply);
      const outcome = await confirmPasswordReset(ctx, form, request.ip);
      if (outcome.ok)
        return render(reply, h_message(page, 'resetTitle', deskText('passwordChangedBody', page.language)));
      if ('linkInvalid' in outcome) return linkInvalid(page, reply);
      return render(
        reply,
        pages.ResetConfirmPage({ page, token: form.token, problems: outcome.problems.byField }),
        400,
      );
    });

    // --- 帳號中心
    async function accountPage(
      request: FastifyRequest,
      reply: FastifyReply,
      account: DeskAccount,
      extra: { emailProblems?: FormProblems; passwordProblems?: FormProblems; notice?: string },
      status = 200,
    ) {
      const page = pageContext(request, reply, account);
      const logins = await recentLogins(ctx, account);
      return render(reply, pages.AccountPage({ page, email: account.email, logins, ...extra }), status);
    }
    desk.get(DESK_PATHS.account, async (request, reply) => {
      const account = await loggedIn(request, reply);
      return account ? accountPage(request, reply, account, {}) : reply;
    });
    desk.post(DESK_PATHS.accountEmail, { config: authLimit }, async (request, reply) => {
      const form = await checkedForm(forms.EmailChangeForm, request, reply);
      if (!form) return reply;
      const account = await loggedIn(request, reply);
      if (!account) return reply;
      const outcome = await requestEmailChange(ctx, account, form, request.ip);
      if (outcome.ok)
        return accountPage(request, reply, account, {
          notice: deskText('changeEmailSent', language(request, reply)),
        });
      return accountPage(request, reply, account, { emailProblems: outcome.problems.byField }, 400);
    });
    mailedLink({
      path: DESK_PATHS.emailConfirm,
      purpose: 'email',
      texts: {
        title: 'changeEmailTitle',
        intro: 'emailConfirmIntro',
        submit: 'submitEmailConfirm',
        doneTitle: 'changeEmailTitle',
        done: 'emailChangedBody',
      },
      use: (token, clientIp) => confirmEmailChange(ctx, token, clientIp),
    });
    desk.post(DESK_PATHS.accountPassword, { config: authLimit }, async (request, reply) => {
      const form = await checkedForm(forms.PasswordChangeForm, request, reply);
      if (!form) return reply;
      const account = await loggedIn(request, reply);
      if (!account) return reply;
      const outcome = await changePassword(ctx, account, form, request.ip);
      if (outcome.ok) {
        reply.clearCookie(COOKIE.session, cookieOptions);
        const page = pageContext(request, reply);
        return render(
          reply,
          h_message(page, 'changePasswordTitle', deskText('passwordChangedBody', page.language)),
        );
      }
      return accountPage(request, reply, account, { passwordProblems: outcome.problems.byField }, 400);
    });

    // --- 表單申請
    async function formsPage(
      request: FastifyRequest,
      reply: FastifyReply,
      account: DeskAccount,
      extra: Partial<Omit<Parameters<typeof pages.FormsPage>[0], 'page' | 'window' | 'autoSendFirstMonth'>>,
      status = 200,
    ) {
      const now = ctx.clock();
      return render(
        reply,
        pages.FormsPage({
          page: pageContext(request, reply, account),
          window: resendWindow(now),
          autoSendFirstMonth: autoSendStart(await unitBillingCycle(ctx, account.unit_code), now).firstMonth,
          ...extra,
        }),
        status,
      );
    }
    desk.get(DESK_PATHS.forms, async (request, reply) => {
      const account = await loggedIn(request, reply);
      return account ? formsPage(request, reply, account, {}) : reply;
    });
    desk.post(DESK_PATHS.formResend, { config: authLimit }, async (request, reply) => {
      const form = await checkedForm(forms.ResendForm, request, reply);
      if (!form) return reply;
      const account = await loggedIn(request, reply);
      if (!account) return reply;
      const outcome = await applyResend(ctx, account, form, request.ip);
      if (outcome.ok) {
        void job.runNow();
        return reply.redirect(DESK_PATHS.progress, 303);
      }
      const documents =
        form.documents === undefined ? [] : Array.isArray(form.documents) ? form.documents : [form.documents];
      return formsPage(
        request,
        reply,
        account,
        {
          resendProblems: outcome.problems.byField,
          values: { fromMonth: form.fromMonth, toMonth: form.toMonth, documents },
        },
        400,
      );
    });
    desk.post(DESK_PATHS.formAutoSend, { config: authLimit }, async (request, reply) => {
      const form = await checkedForm(forms.AutoSendForm, request, reply);
      if (!form) return reply;
      const account = await loggedIn(request, reply);
      if (!account) return reply;
      const outcome = await applyAutoSend(ctx, account, form, request.ip);
      if (outcome.ok) return reply.redirect(DESK_PATHS.progress, 303);
      return formsPage(request, reply, account, { autoSendProblems: outcome.problems.byField }, 400);
    });

    // --- 表單產生進度查詢及下載
    desk.get(DESK_PATHS.progress, async (request, reply) => {
      const account = await loggedIn(request, reply);
      if (!account) return reply;
      const requests = await unitRequests(ctx, account.unit_code);
      return render(
        reply,
        pages.ProgressPage({
          page: pageContext(request, reply, account),
          requests,
          keepDays: ctx.config.desk.fileKeepDays,
        }),
      );
    });
    desk.get(DESK_PATHS.file, async (request, reply) => {
      const account = await loggedIn(request, reply);
      if (!account) return reply;
      const { id } = request.params as { id: string };
      const file = await unitFile(ctx, account, id, request.ip);
      if (!file) {
        const page = pageContext(request, reply, account);
        return render(
          reply,
          h_message(page, 'notFoundTitle', deskAccountError('ERR_DESK_FILE_NOT_FOUND', page.language)),
          404,
        );
      }
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${file.name.replace(/[^\w.-]/g, '_')}"`)
        .send(file.content);
    });
  });
}
