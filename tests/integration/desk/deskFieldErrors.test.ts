/**
 * Every desk form answers wrong shapes with an error beside the field (issue 12, "Bad input"): each
 * form's refusal page names the fields expected, and every entry of its error summary leads to a field
 * that carries its own error text (`<id>-error`, referenced by the input's aria-describedby). The
 * registration and re-send forms have their own cases in desk.test.ts. The pages do not depend on
 * the database: SQLite only. Floods of the other unauthenticated posts (password reset, the mailed
 * links' buttons) are rate-limited and audited like those of logins and registrations (desk.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DESK_PATHS } from '../../../shared/desk/deskForms.ts';
import type { Portal } from '../portal/harness.ts';
import {
  CLERK,
  auditEvents,
  createDeskPortal,
  deskLab,
  DeskClient,
  eventOf,
  fieldError,
  linkIn,
  logInAs,
  mailText,
  registerAndActivate,
} from './deskClient.ts';

const lab = await deskLab();
const sqlite = lab.backends.list.find((b) => b.kind === 'sqlite')!;

/** The ids the error summary links to; each must have its error beside it and be described by it. */
function expectEveryErrorBesideItsField(html: string, expected: readonly string[]): void {
  const linked = [...html.matchAll(/<li><a href="#([\w-]+)">/g)].map((m) => m[1]!);
  expect(linked.sort()).toEqual([...expected].sort());
  for (const id of linked) {
    expect(fieldError(html, id), `error beside ${id}`).toBeDefined();
    expect(html, `${id} described by its error`).toMatch(
      new RegExp(
        `id="${id}"[^>]*aria-describedby="[^"]*${id}-error|aria-describedby="[^"]*${id}-error"[^>]*id="${id}"`,
      ),
    );
  }
}

describe('bad input on every desk form', () => {
  let portal: Portal;
  afterEach(async () => {
    await portal?.close();
  });
  const open = async (max = '1000') => {
    lab.smtp.mails.length = 0;
    portal = await createDeskPortal(sqlite, {
      smtpUrl: lab.smtp.url,
      env: { PORTAL_DESK_RATE_LIMIT_MAX: max },
    });
    return new DeskClient(portal.app);
  };

  it('login: every field, and the captcha', async () => {
    const client = await open();
    const bad = await client.submit(DESK_PATHS.login, DESK_PATHS.login, {
      unitCode: '12AB',
      idNumber: 'A123456788',
      password: '',
      captcha: 'nope',
    });
    expect(bad.statusCode).toBe(400);
    expectEveryErrorBesideItsField(bad.body, ['unitCode', 'idNumber', 'password', 'captcha']);
  });

  it('password reset request and the new password', async () => {
    const client = await open();
    const bad = await client.submit(DESK_PATHS.resetRequest, DESK_PATHS.resetRequest, {
      unitCode: '',
      idNumber: 'Z999',
      email: 'clerk@',
      captcha: '',
    });
    expect(bad.statusCode).toBe(400);
    expectEveryErrorBesideItsField(bad.body, ['unitCode', 'idNumber', 'email', 'captcha']);

    await registerAndActivate(client, lab.smtp);
    await client.submit(DESK_PATHS.resetRequest, DESK_PATHS.resetRequest, {
      unitCode: CLERK.unitCode,
      idNumber: CLERK.idNumber,
      email: CLERK.email,
    });
    const mail = await lab.smtp.waitFor((m) => eventOf(m) === 'desk-password-reset', 30_000);
    const link = linkIn(mailText(mail), DESK_PATHS.resetConfirm);
    const token = link.split('token=')[1]!;
    const short = await client.submit(link, DESK_PATHS.resetConfirm, {
      token,
      password: 'short pw',
      passwordAgain: 'short pw',
    });
    expect(short.statusCode).toBe(400);
    expectEveryErrorBesideItsField(short.body, ['password']);
    const mismatch = await client.submit(link, DESK_PATHS.resetConfirm, {
      token,
      password: 'granite meadow paper kite',
      passwordAgain: 'granite meadow paper kitE',
    });
    expectEveryErrorBesideItsField(mismatch.body, ['passwordAgain']);
  });

  it('帳號中心: the e-mail change and the password change, each beside its own form’s field', async () => {
    const client = await open();
    await registerAndActivate(client, lab.smtp);
    await logInAs(client);
    const email = await client.submit(DESK_PATHS.account, DESK_PATHS.accountEmail, {
      newEmail: 'not an address',
      currentPassword: '',
    });
    expect(email.statusCode).toBe(400);
    expectEveryErrorBesideItsField(email.body, ['email-newEmail', 'email-currentPassword']);
    const password = await client.submit(DESK_PATHS.account, DESK_PATHS.accountPassword, {
      currentPassword: 'not my password at all',
      password: 'password1234',
      passwordAgain: 'password1234',
    });
    expect(password.statusCode).toBe(400);
    expectEveryErrorBesideItsField(password.body, ['pw-currentPassword', 'pw-password']);
  });

  it('表單申請: the re-send months and documents, and automatic sending without a document', async () => {
    const client = await open();
    await registerAndActivate(client, lab.smtp);
    await logInAs(client);
    const resend = await client.submit(DESK_PATHS.forms, DESK_PATHS.formResend, {
      fromMonth: '2026-13',
      toMonth: 'later',
    });
    expect(resend.statusCode).toBe(400);
    expectEveryErrorBesideItsField(resend.body, ['resend-documents', 'resend-fromMonth', 'resend-toMonth']);
    const auto = await client.submit(DESK_PATHS.forms, DESK_PATHS.formAutoSend, {});
    expect(auto.statusCode).toBe(400);
    expectEveryErrorBesideItsField(auto.body, ['auto-documents']);
  });

  it('rate-limits floods of password-reset requests and of a mailed link’s button, and audits them', async () => {
    const client = await open('2');
    const reset = () =>
      client.submit(DESK_PATHS.resetRequest, DESK_PATHS.resetRequest, {
        unitCode: CLERK.unitCode,
        idNumber: CLERK.idNumber,
        email: CLERK.email,
      });
    for (let i = 0; i < 2; i++) expect((await reset()).statusCode).toBe(200);
    expect((await reset()).statusCode).toBe(429);
    const page = await client.get(DESK_PATHS.login);
    const csrf = /name="csrf" value="([^"]*)"/.exec(page.body)![1]!;
    const guess = () => client.post(DESK_PATHS.activate, { csrf, token: 'guessed-token' });
    for (let i = 0; i < 2; i++) expect((await guess()).statusCode).toBe(410);
    expect((await guess()).statusCode).toBe(429);
    const limited = await auditEvents(portal.db, 'desk-rate-limited');
    expect(limited.map((r) => r.detail)).toEqual([
      `POST ${DESK_PATHS.resetRequest}`,
      `POST ${DESK_PATHS.activate}`,
    ]);
    expect(limited.every((r) => r.error_code === 'ERR_DESK_RATE_LIMITED')).toBe(true);
  });

  it('rate-limits floods from a session too (current-password guesses, form submissions), and audits them', async () => {
    const client = await open('3');
    await registerAndActivate(client, lab.smtp);
    expect((await logInAs(client)).statusCode).toBe(303);
    const guess = () =>
      client.submit(DESK_PATHS.account, DESK_PATHS.accountPassword, {
        currentPassword: 'a guess at the password',
        password: 'granite meadow paper kite',
        passwordAgain: 'granite meadow paper kite',
      });
    for (let i = 0; i < 3; i++) expect((await guess()).statusCode).toBe(400);
    expect((await guess()).statusCode).toBe(429);
    const apply = () => client.submit(DESK_PATHS.forms, DESK_PATHS.formAutoSend, { documents: 'slip' });
    for (let i = 0; i < 3; i++) expect((await apply()).statusCode).toBe(303);
    expect((await apply()).statusCode).toBe(429);
    expect((await auditEvents(portal.db, 'desk-rate-limited')).map((r) => r.detail)).toEqual([
      `POST ${DESK_PATHS.accountPassword}`,
      `POST ${DESK_PATHS.formAutoSend}`,
    ]);
    expect(await portal.db.selectFrom('desk_form_requests').selectAll().execute()).toHaveLength(3);
  });
});
