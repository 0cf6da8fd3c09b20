/**
 * Ready files expire (portal/src/desk/purge.ts): with the clock frozen, a re-send request's files are
 * kept exactly PORTAL_DESK_FILE_KEEP_DAYS days after they were ready, removed the moment after, and
 * the request says `expired` on the progress page; an automatic-sending order (no files) stays in
 * force. SQLite and PostgreSQL.
 */
import { afterEach, expect, it } from 'vitest';
import { DESK_PATHS } from '../../../shared/desk/deskForms.ts';
import { purgeExpiredFiles } from '../../../portal/src/desk/purge.ts';
import { createFileOutbox } from '../../../portal/src/mail/fileOutbox.ts';
import type { PortalContext } from '../../../portal/src/services/context.ts';
import type { Portal } from '../portal/harness.ts';
import {
  createDeskPortal,
  DeskClient,
  logInAs,
  registerAndActivate,
  deskLab,
  lastMonthAt,
} from './deskClient.ts';
import { describeEachBackend } from '../portal/eachBackend.ts';

const lab = await deskLab();
const { backends } = lab;

const KEEP_DAYS = 3;
const DAY_MS = 86_400_000;

describeEachBackend(backends, 'desk file purge on $name', (backend) => {
  let portal: Portal;
  afterEach(async () => {
    await portal?.close();
  });

  /** The purge with the portal's own database, configuration and frozen clock. */
  const purge = () => {
    const mailer = createFileOutbox(portal.outboxDir, portal.config.mailFrom);
    const ctx: PortalContext = {
      config: portal.config,
      db: portal.db,
      dbKind: backend.kind,
      clock: () => new Date(portal.clock.now),
      trust: undefined,
      mailer,
      deliverMail: () => Promise.resolve(),
      warn: () => undefined,
    };
    return purgeExpiredFiles(ctx).finally(() => mailer.close());
  };

  const requestsOfKind = (kind: 'resend' | 'auto-send') =>
    portal.db.selectFrom('desk_form_requests').selectAll().where('kind', '=', kind).execute();

  it('keeps a ready file its documented days, then removes it and marks the request expired', async () => {
    lab.smtp.mails.length = 0;
    portal = await createDeskPortal(backend, {
      smtpUrl: lab.smtp.url,
      env: { PORTAL_DESK_RATE_LIMIT_MAX: '1000', PORTAL_DESK_FILE_KEEP_DAYS: String(KEEP_DAYS) },
    });
    const client = new DeskClient(portal.app);
    await registerAndActivate(client, lab.smtp);
    expect((await logInAs(client)).statusCode).toBe(303);
    const lastMonth = lastMonthAt(portal.clock.now);
    const resend = await client.submit(DESK_PATHS.forms, DESK_PATHS.formResend, {
      documents: 'slip',
      fromMonth: lastMonth,
      toMonth: lastMonth,
    });
    expect(resend.statusCode, resend.body).toBe(303);
    expect(
      (await client.submit(DESK_PATHS.forms, DESK_PATHS.formAutoSend, { documents: 'slip' })).statusCode,
    ).toBe(303);
    // The submission starts the generation (the loop is off by default).
    let progress = await client.get(DESK_PATHS.progress);
    for (let i = 0; i < 120 && (progress.body.match(/data-state="ready"/g) ?? []).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 500));
      progress = await client.get(DESK_PATHS.progress);
    }
    const [request] = await requestsOfKind('resend');
    expect(request).toMatchObject({ state: 'ready' });
    const link = /href="(\/desk\/files\/[^"]+)"/.exec(progress.body)![1]!;

    // Exactly the keeping days after it was ready: still there.
    portal.clock.now = Date.parse(request!.ready_at!) + KEEP_DAYS * DAY_MS;
    expect(await purge()).toBe(0);
    expect((await requestsOfKind('resend'))[0]).toMatchObject({ state: 'ready' });
    expect((await logInAs(client)).statusCode).toBe(303);
    expect((await client.get(link)).statusCode).toBe(200);

    // A moment later: removed, and the request says so.
    portal.clock.advance(1);
    expect(await purge()).toBe(1);
    expect(await purge()).toBe(0);
    expect((await requestsOfKind('resend'))[0]).toMatchObject({ state: 'expired' });
    expect(await portal.db.selectFrom('desk_form_files').selectAll().execute()).toEqual([]);
    expect((await client.get(link)).statusCode).toBe(404);
    progress = await client.get(DESK_PATHS.progress);
    expect(progress.body).toContain('data-state="expired"');
    expect(progress.body).not.toContain('/desk/files/');
    // The automatic-sending order has no files and stays in force.
    expect((await requestsOfKind('auto-send'))[0]).toMatchObject({ state: 'ready' });
  }, 120_000);
});
