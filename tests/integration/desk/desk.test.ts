/**
 * The e-service desk through its pages, as a browser without script uses them, on SQLite and
 * PostgreSQL, with mail through the SMTP lab: registration and activation, expired and reused
 * links, duplicate registration, lockout with its end in Taipei time, captcha reuse, CSRF, every
 * field's wrong shape, rate limits, forms and the unit-only download, file expiry.
 */
import { afterEach, expect, it } from 'vitest';
import { DESK_PATHS } from '../../../shared/desk/deskForms.ts';
import { deskAccountError, deskText } from '../../../shared/desk/messages.ts';
import type { Portal } from '../portal/harness.ts';
import {
  auditEvents,
  CLERK,
  createDeskPortal,
  DeskClient,
  eventOf,
  fieldError,
  followLink,
  hiddenValue,
  captchaAnswer,
  linkIn,
  logInAs,
  mailText,
  OTHER_CLERK,
  registerAndActivate,
  registration,
  deskLab,
  lastMonthAt,
} from './deskClient.ts';
import { describeEachBackend } from '../portal/eachBackend.ts';

const lab = await deskLab();
const { backends } = lab;

const html = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));

describeEachBackend(backends, 'e-service desk on $name', (backend) => {
  let portal: Portal;
  afterEach(async () => {
    await portal?.close();
  });
  const open = async (env: Record<string, string> = {}) => {
    lab.smtp.mails.length = 0;
    // The rate limit counts real time, not the test clock: only its own test keeps it low.
    portal = await createDeskPortal(backend, {
      smtpUrl: lab.smtp.url,
      env: { PORTAL_DESK_RATE_LIMIT_MAX: '1000', ...env },
    });
    return new DeskClient(portal.app);
  };

  it('registers, mails a single-use activation link through SMTP, and logs in only once activated', async () => {
    const client = await open();
    const sent = await client.submit(DESK_PATHS.register, DESK_PATHS.register, registration(CLERK));
    expect(sent.statusCode).toBe(200);
    expect(html(sent.body)).toContain(deskText('registeredBody', 'zh-TW'));
    const mail = await lab.smtp.waitFor((m) => eventOf(m) === 'desk-activation', 30_000);
    expect(mail.to).toEqual([CLERK.email]);
    const link = linkIn(mailText(mail), DESK_PATHS.activate);

    const early = await logInAs(client);
    expect(early.statusCode).toBe(400);
    expect(fieldError(early.body, 'password')).toBe(deskAccountError('ERR_DESK_NOT_ACTIVATED', 'zh-TW'));

    // Opening the link (as a mail scanner does, twice) uses nothing up: it shows the button.
    const token = link.split('token=')[1]!;
    let csrf = '';
    for (let i = 0; i < 2; i++) {
      const shown = await client.get(link);
      expect(shown.statusCode).toBe(200);
      expect(html(shown.body)).toContain(deskText('submitActivate', 'zh-TW'));
      expect(hiddenValue(shown.body, 'token')).toBe(token);
      csrf = hiddenValue(shown.body, 'csrf');
    }
    expect((await logInAs(client)).statusCode).toBe(400);
    // The button's POST needs the CSRF token like every form.
    const forged = await client.post(DESK_PATHS.activate, { token });
    expect(forged.statusCode).toBe(403);
    const activated = await client.submit(link, DESK_PATHS.activate, { token });
    expect(activated.statusCode).toBe(200);
    expect(html(activated.body)).toContain(deskText('activatedBody', 'zh-TW'));
    const reused = await client.get(link);
    expect(reused.statusCode).toBe(410);
    expect(html(reused.body)).toContain(deskAccountError('ERR_DESK_LINK_INVALID', 'zh-TW'));
    const reposted = await client.post(DESK_PATHS.activate, { csrf, token });
    expect(reposted.statusCode).toBe(410);
    expect(html(reposted.body)).toContain(deskAccountError('ERR_DESK_LINK_INVALID', 'zh-TW'));

    const login = await logInAs(client);
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe(DESK_PATHS.forms);
    const session = login.cookies.find((c) => c.name === 'desk_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: true, path: '/desk' });
    const account = await client.get(DESK_PATHS.account);
    expect(account.statusCode).toBe(200);
    expect(html(account.body)).toContain(CLERK.email);
    expect(html(account.body)).toContain(deskText('outcomeSuccess', 'zh-TW'));
    expect(account.headers['content-security-policy']).toContain("default-src 'none'");
    expect(account.headers['content-security-policy']).not.toContain('unsafe');
  });

  it('refuses an expired activation link with a clear page', async () => {
    const client = await open();
    await client.submit(DESK_PATHS.register, DESK_PATHS.register, registration(CLERK));
    const mail = await lab.smtp.waitFor((m) => eventOf(m) === 'desk-activation', 30_000);
    const link = linkIn(mailText(mail), DESK_PATHS.activate);
    const page = await client.get(DESK_PATHS.register);
    portal.clock.advance(25 * 3_600_000);
    const late = await client.get(link);
    expect(late.statusCode).toBe(410);
    expect(html(late.body)).toContain(deskAccountError('ERR_DESK_LINK_INVALID', 'zh-TW'));
    // A page opened before it expired cannot use it either.
    const latePost = await client.post(DESK_PATHS.activate, {
      csrf: hiddenValue(page.body, 'csrf'),
      token: link.split('token=')[1]!,
    });
    expect(latePost.statusCode).toBe(410);
    // The expired pending registration may be made again.
    const again = await client.submit(DESK_PATHS.register, DESK_PATHS.register, registration(CLERK));
    expect(again.statusCode).toBe(200);
  });

  it('answers a second registration of the same clerk and unit clearly', async () => {
    const client = await open();
    await registerAndActivate(client, lab.smtp);
    const second = await client.submit(DESK_PATHS.register, DESK_PATHS.register, registration(CLERK));
    expect(second.statusCode).toBe(400);
    expect(fieldError(second.body, 'idNumber')).toBe(
      deskAccountError('ERR_DESK_ALREADY_REGISTERED', 'zh-TW'),
    );
  });

  it('refuses a card number that is not the clerk’s in the card registry', async () => {
    const client = await open();
    const wrong = await client.submit(DESK_PATHS.register, DESK_PATHS.register, {
      ...registration(CLERK),
      cardNumber: OTHER_CLERK.cardNumber,
    });
    expect(wrong.statusCode).toBe(400);
    expect(fieldError(wrong.body, 'cardNumber')).toBe(
      deskAccountError('ERR_DESK_CARD_NOT_MATCHING', 'zh-TW'),
    );
  });

  it('puts an error beside every field typed in a wrong shape', async () => {
    const client = await open();
    const bad = await client.submit(DESK_PATHS.register, DESK_PATHS.register, {
      unitCode: '12AB',
      idNumber: 'A123456788',
      cardNumber: '12345',
      email: 'clerk@',
      password: 'password1234',
      passwordAgain: 'password1234',
    });
    expect(bad.statusCode).toBe(400);
    expect(fieldError(bad.body, 'unitCode')).toContain('投保單位代號');
    expect(fieldError(bad.body, 'idNumber')).toContain('檢查碼');
    expect(fieldError(bad.body, 'cardNumber')).toContain('12 位數字');
    expect(fieldError(bad.body, 'email')).toContain('E-mail');
    expect(fieldError(bad.body, 'password')).toBe(deskAccountError('ERR_DESK_PASSWORD_COMMON', 'zh-TW'));
    expect(bad.body).toContain('aria-invalid="true"');
    const short = await client.submit(DESK_PATHS.register, DESK_PATHS.register, {
      ...registration(CLERK),
      password: 'short pw',
      passwordAgain: 'short pw',
      captcha: 'nope',
    });
    expect(fieldError(short.body, 'password')).toBe(
      deskAccountError('ERR_DESK_PASSWORD_TOO_SHORT', 'zh-TW', { min: 12 }),
    );
    expect(fieldError(short.body, 'captcha')).toBe(deskAccountError('ERR_DESK_CAPTCHA_WRONG', 'zh-TW'));
    const mismatch = await client.submit(DESK_PATHS.register, DESK_PATHS.register, {
      ...registration(CLERK),
      passwordAgain: 'another long phrase here',
    });
    expect(fieldError(mismatch.body, 'passwordAgain')).toBe(
      deskAccountError('ERR_DESK_PASSWORD_MISMATCH', 'zh-TW'),
    );
    // English page, English messages.
    await client.get(`${DESK_PATHS.register}?lang=en`);
    const english = await client.submit(DESK_PATHS.register, DESK_PATHS.register, {
      ...registration(CLERK),
      email: '',
    });
    expect(fieldError(english.body, 'email')).toContain('is required');
  });

  it('refuses a captcha used once already, even with the right answer', async () => {
    const client = await open();
    const page = await client.get(DESK_PATHS.login);
    const captcha = { captchaId: hiddenValue(page.body, 'captchaId'), captcha: captchaAnswer(page.body) };
    const fields = {
      csrf: hiddenValue(page.body, 'csrf'),
      unitCode: CLERK.unitCode,
      idNumber: CLERK.idNumber,
      password: 'whatever it is',
    };
    const first = await client.post(DESK_PATHS.login, { ...fields, ...captcha });
    expect(fieldError(first.body, 'captcha')).toBeUndefined();
    const replay = await client.post(DESK_PATHS.login, { ...fields, ...captcha });
    expect(fieldError(replay.body, 'captcha')).toBe(deskAccountError('ERR_DESK_CAPTCHA_WRONG', 'zh-TW'));
    // Expired after its minutes, too.
    const fresh = await client.get(DESK_PATHS.login);
    portal.clock.advance(6 * 60_000);
    const late = await client.post(DESK_PATHS.login, {
      ...fields,
      captchaId: hiddenValue(fresh.body, 'captchaId'),
      captcha: captchaAnswer(fresh.body),
    });
    expect(fieldError(late.body, 'captcha')).toBe(deskAccountError('ERR_DESK_CAPTCHA_WRONG', 'zh-TW'));
  });

  it('locks the login after wrong passwords, says until when in Taipei time, and the same for no account', async () => {
    const client = await open();
    await registerAndActivate(client, lab.smtp);
    for (let i = 0; i < 4; i++) {
      const wrong = await logInAs(client, { ...CLERK, password: 'not the right password' });
      expect(fieldError(wrong.body, 'password')).toBe(deskAccountError('ERR_DESK_LOGIN_FAILED', 'zh-TW'));
    }
    const fifth = await logInAs(client, { ...CLERK, password: 'not the right password' });
    expect(fifth.statusCode).toBe(429);
    const lastFailure = new Date(portal.clock.now + 15 * 60_000 + 8 * 3_600_000).toISOString();
    const roc = `${Number(lastFailure.slice(0, 4)) - 1911}/${lastFailure.slice(5, 7)}/${lastFailure.slice(8, 10)} ${lastFailure.slice(11, 16)}`;
    expect(fieldError(fifth.body, 'password')).toContain(roc);
    const rightButLocked = await logInAs(client);
    expect(rightButLocked.statusCode).toBe(429);

    // An identity without an account gets the same answers.
    const ghost = { ...CLERK, idNumber: 'E122334457' };
    let last = await logInAs(client, ghost);
    expect(fieldError(last.body, 'password')).toBe(deskAccountError('ERR_DESK_LOGIN_FAILED', 'zh-TW'));
    for (let i = 0; i < 4; i++) last = await logInAs(client, ghost);
    expect(last.statusCode).toBe(429);

    portal.clock.advance(15 * 60_000 + 1_000);
    expect((await logInAs(client)).statusCode).toBe(303);
    expect((await auditEvents(portal.db, 'desk-login')).some((r) => r.error_code === 'ERR_DESK_LOCKED')).toBe(
      true,
    );
  });

  it('refuses a form without the right CSRF token, with a clear page, and audits it', async () => {
    const client = await open();
    await registerAndActivate(client, lab.smtp);
    await logInAs(client);
    const noToken = await client.post(DESK_PATHS.formResend, {
      documents: 'slip',
      fromMonth: '2026-01',
      toMonth: '2026-01',
    });
    expect(noToken.statusCode).toBe(403);
    expect(html(noToken.body)).toContain(deskAccountError('ERR_DESK_CSRF', 'zh-TW'));
    const wrong = await client.post(DESK_PATHS.formResend, {
      csrf: 'x'.repeat(43),
      documents: 'slip',
      fromMonth: '2026-01',
      toMonth: '2026-01',
    });
    expect(wrong.statusCode).toBe(403);
    expect((await auditEvents(portal.db, 'desk-form-refused')).map((r) => r.error_code)).toEqual([
      'ERR_DESK_CSRF',
      'ERR_DESK_CSRF',
    ]);
    expect(await portal.db.selectFrom('desk_form_requests').selectAll().execute()).toEqual([]);
  });

  it('rate-limits floods of logins and of registrations, and audits them', async () => {
    const client = await open({ PORTAL_DESK_RATE_LIMIT_MAX: '3' });
    for (let i = 0; i < 3; i++)
      expect((await logInAs(client, { ...CLERK, password: 'wrong password here' })).statusCode).toBe(400);
    const limited = await logInAs(client, { ...CLERK, password: 'wrong password here' });
    expect(limited.statusCode).toBe(429);
    expect(html(limited.body)).toContain(deskAccountError('ERR_DESK_RATE_LIMITED', 'zh-TW'));
    expect(await auditEvents(portal.db, 'desk-rate-limited')).toHaveLength(1);
    // Registrations have their own count.
    for (let i = 0; i < 3; i++) {
      const sent = await client.submit(DESK_PATHS.register, DESK_PATHS.register, {
        ...registration(CLERK),
        email: '',
      });
      expect(sent.statusCode).toBe(400);
    }
    const flooded = await client.submit(DESK_PATHS.register, DESK_PATHS.register, registration(CLERK));
    expect(flooded.statusCode).toBe(429);
    expect(await auditEvents(portal.db, 'desk-rate-limited')).toHaveLength(2);
    expect(await portal.db.selectFrom('desk_accounts').selectAll().execute()).toEqual([]);
  });

  it('checks the form rules at the server, makes the PDFs, and lets only the same unit download them', async () => {
    // The job loop on (as `npm start` runs it): it removes the files after their days.
    const client = await open({ PORTAL_DESK_JOB_MS: '200' });
    await registerAndActivate(client, lab.smtp);
    await logInAs(client);
    const tooLong = await client.submit(DESK_PATHS.forms, DESK_PATHS.formResend, {
      documents: ['slip', 'detail'],
      fromMonth: '2026-01',
      toMonth: '2026-12',
    });
    expect(tooLong.statusCode).toBe(400);
    expect(fieldError(tooLong.body, 'resend-toMonth')).toContain('一次最多申請 6 個月');
    const malformed = await client.submit(DESK_PATHS.forms, DESK_PATHS.formResend, {
      fromMonth: 'soon',
      toMonth: '2026-01',
    });
    expect(fieldError(malformed.body, 'resend-fromMonth')).toBeDefined();
    expect(fieldError(malformed.body, 'resend-documents')).toBeDefined();

    // Last month is always available.
    const lastMonth = lastMonthAt(portal.clock.now);
    const ok = await client.submit(DESK_PATHS.forms, DESK_PATHS.formResend, {
      documents: ['slip', 'summary'],
      fromMonth: lastMonth,
      toMonth: lastMonth,
    });
    expect(ok.statusCode, ok.body).toBe(303);
    expect(ok.headers.location).toBe(DESK_PATHS.progress);

    let progress = await client.get(DESK_PATHS.progress);
    for (let i = 0; i < 120 && !progress.body.includes('data-state="ready"'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      progress = await client.get(DESK_PATHS.progress);
    }
    expect(progress.body).toContain('data-state="ready"');
    const links = [...progress.body.matchAll(/href="(\/desk\/files\/[^"]+)"/g)].map((m) => m[1]!);
    expect(links).toHaveLength(2);
    const file = await client.get(links[0]!);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const other = new DeskClient(portal.app);
    await registerAndActivate(other, lab.smtp, OTHER_CLERK);
    expect((await logInAs(other, OTHER_CLERK)).statusCode).toBe(303);
    const refused = await other.get(links[0]!);
    expect(refused.statusCode).toBe(404);
    expect(html(refused.body)).toContain(deskAccountError('ERR_DESK_FILE_NOT_FOUND', 'zh-TW'));
    expect((await other.get(DESK_PATHS.progress)).body).not.toContain('/desk/files/');
    expect((await auditEvents(portal.db, 'desk-download')).map((r) => r.outcome)).toEqual([
      'success',
      'refused',
    ]);

    // Kept the documented days, then removed by the loop.
    portal.clock.advance((portal.config.desk.fileKeepDays + 1) * 86_400_000);
    await logInAs(client);
    for (let i = 0; i < 60 && !progress.body.includes('data-state="expired"'); i++) {
      await new Promise((r) => setTimeout(r, 500));
      progress = await client.get(DESK_PATHS.progress);
    }
    expect(progress.body).toContain('data-state="expired"');
    expect((await client.get(links[0]!)).statusCode).toBe(404);
    expect(await portal.db.selectFrom('desk_form_files').selectAll().execute()).toEqual([]);
  }, 120_000);

  it('applies for automatic sending with the start month the 5th-of-the-month rule gives', async () => {
    const client = await open();
    await registerAndActivate(client, lab.smtp);
    await logInAs(client);
    const page = await client.get(DESK_PATHS.forms);
    expect(html(page.body)).toContain('每月 5 日（含）以前申請');
    const sent = await client.submit(DESK_PATHS.forms, DESK_PATHS.formAutoSend, {
      documents: ['slip', 'detail'],
    });
    expect(sent.statusCode).toBe(303);
    const rows = await portal.db.selectFrom('desk_form_requests').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'auto-send', state: 'ready', unit_code: CLERK.unitCode });
  });

  it('resets a forgotten password by e-mail, and the same answer when nothing matches', async () => {
    const client = await open();
    await registerAndActivate(client, lab.smtp);
    const nobody = await client.submit(DESK_PATHS.resetRequest, DESK_PATHS.resetRequest, {
      unitCode: CLERK.unitCode,
      idNumber: CLERK.idNumber,
      email: 'someone.else@example.test',
    });
    const someone = await client.submit(DESK_PATHS.resetRequest, DESK_PATHS.resetRequest, {
      unitCode: CLERK.unitCode,
      idNumber: CLERK.idNumber,
      email: CLERK.email,
    });
    expect(nobody.statusCode).toBe(someone.statusCode);
    expect(html(nobody.body)).toContain(deskText('resetSentBody', 'zh-TW'));
    const mail = await lab.smtp.waitFor((m) => eventOf(m) === 'desk-password-reset', 30_000);
    const link = linkIn(mailText(mail), DESK_PATHS.resetConfirm);
    const newPassword = 'granite meadow paper kite';
    const done = await client.submit(link, DESK_PATHS.resetConfirm, {
      token: link.split('token=')[1]!,
      password: newPassword,
      passwordAgain: newPassword,
    });
    expect(done.statusCode).toBe(200);
    expect((await client.get(link)).statusCode).toBe(410);
    expect((await logInAs(client)).statusCode).toBe(400);
    expect((await logInAs(client, { ...CLERK, password: newPassword })).statusCode).toBe(303);
  });

  it('changes the e-mail only once confirmed from the new address, and the password with the current one', async () => {
    const client = await open();
    await registerAndActivate(client, lab.smtp);
    await logInAs(client);
    const newEmail = 'new.clerk@company.example.test';
    const wrongCurrent = await client.submit(DESK_PATHS.account, DESK_PATHS.accountEmail, {
      newEmail,
      currentPassword: 'not my password at all',
    });
    expect(wrongCurrent.statusCode).toBe(400);
    expect(fieldError(wrongCurrent.body, 'email-currentPassword')).toBe(
      deskAccountError('ERR_DESK_CURRENT_PASSWORD_WRONG', 'zh-TW'),
    );
    const asked = await client.submit(DESK_PATHS.account, DESK_PATHS.accountEmail, {
      newEmail,
      currentPassword: CLERK.password,
    });
    expect(asked.statusCode).toBe(200);
    expect(html((await client.get(DESK_PATHS.account)).body)).toContain(CLERK.email);
    const mail = await lab.smtp.waitFor((m) => eventOf(m) === 'desk-email-change', 30_000);
    expect(mail.to).toEqual([newEmail]);
    const link = linkIn(mailText(mail), DESK_PATHS.emailConfirm);
    // Opening the link changes nothing; its button does, once.
    const shown = await client.get(link);
    expect(shown.statusCode).toBe(200);
    expect(html(shown.body)).toContain(deskText('submitEmailConfirm', 'zh-TW'));
    expect(html((await client.get(DESK_PATHS.account)).body)).not.toContain(newEmail);
    const confirmed = await followLink(client, link, DESK_PATHS.emailConfirm);
    expect(confirmed.statusCode).toBe(200);
    expect(html(confirmed.body)).toContain(deskText('emailChangedBody', 'zh-TW'));
    expect(html((await client.get(DESK_PATHS.account)).body)).toContain(newEmail);
    const reused = await client.get(link);
    expect(reused.statusCode).toBe(410);
    expect(html(reused.body)).toContain(deskAccountError('ERR_DESK_LINK_INVALID', 'zh-TW'));

    const newPassword = 'granite meadow paper kite';
    const changed = await client.submit(DESK_PATHS.account, DESK_PATHS.accountPassword, {
      currentPassword: CLERK.password,
      password: newPassword,
      passwordAgain: newPassword,
    });
    expect(changed.statusCode).toBe(200);
    // Every session ended with the change.
    expect((await client.get(DESK_PATHS.account)).statusCode).toBe(303);
    expect((await logInAs(client, { ...CLERK, password: newPassword })).statusCode).toBe(303);
    const logins = html((await client.get(DESK_PATHS.account)).body);
    expect(logins.match(new RegExp(deskText('outcomeSuccess', 'zh-TW'), 'g'))).toHaveLength(2);
  });
});
