/**
 * 表單申請 and 表單產生進度查詢及下載: the two forms are checked by shared/desk/formRules.ts with
 * today in Asia/Taipei at the server; accepted re-send requests are queued for the job
 * (portal/src/jobs/deskForms.ts). Requests and files are the unit's: any active account of the same
 * unit code sees and downloads them, no other. An automatic-sending application subscribes the unit to
 * e-mailed slips (portal/src/services/slipSubscriptions.ts) from the month the date rule gives.
 */
import type { AutoSendFormBody, ResendFormBody } from '../../../shared/desk/deskForms.ts';
import {
  autoSendStart,
  checkResendRequest,
  RESEND_DOCUMENTS,
  type ResendDocument,
} from '../../../shared/desk/formRules.ts';
import { cycleInForce, type CycleHistory } from '../../../shared/billing/billingCycles.ts';
import { addMonths, type BillingCycle } from '../../../shared/billing/slipSchedule.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import { cycleHistory } from '../billing/billingCycles.ts';
import type { DeskAccount, DeskFormRequest } from '../db/schema.ts';
import { writeAudit } from '../services/audit.ts';
import { iso, within, type PortalContext } from '../services/context.ts';
import { newId } from '../services/ids.ts';
import { subscribeFromDesk } from '../services/slipSubscriptions.ts';
import { ProblemList } from './problems.ts';

/** A unit's billing-cycle history (migration 0009); a unit code not (yet) in the units table is monthly. */
export async function unitCycleHistory(ctx: PortalContext, unitCode: string): Promise<CycleHistory> {
  const unit = await ctx.db
    .selectFrom('units')
    .select(['id', 'billing_cycle'])
    .where('unit_code', '=', unitCode)
    .executeTakeFirst();
  return unit ? cycleHistory(ctx.db, unit) : { base: 'monthly', changes: [] };
}

/** The cycle of the slips a unit gets from now on: the one in force for the month being billed. */
export async function unitBillingCycle(ctx: PortalContext, unitCode: string): Promise<BillingCycle> {
  const history = await unitCycleHistory(ctx, unitCode);
  return cycleInForce(history, addMonths(taipeiDate(ctx.clock()).slice(0, 7), -1));
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export type FormOutcome = { ok: true; requestId: string } | { ok: false; problems: ProblemList };

async function queue(
  ctx: PortalContext,
  account: DeskAccount,
  kind: DeskFormRequest['kind'],
  documents: readonly ResendDocument[],
  months: readonly string[],
  clientIp: string,
): Promise<string> {
  const now = ctx.clock();
  const id = newId(now);
  await ctx.db
    .insertInto('desk_form_requests')
    .values({
      id,
      unit_code: account.unit_code,
      account_id: account.id,
      kind,
      documents: JSON.stringify(documents),
      months: JSON.stringify(months),
      // Automatic sending is a standing order: nothing to make now, it is in force at once.
      state: kind === 'resend' ? 'queued' : 'ready',
      created_at: iso(now),
      claimed_until: null,
      ready_at: kind === 'resend' ? null : iso(now),
      expires_at: null,
      last_error: null,
    })
    .execute();
  await writeAudit(ctx, {
    event: `desk-form-${kind}`,
    outcome: 'success',
    clientIp,
    unitCode: account.unit_code,
    detail: `request ${id} ${months.join(',')}`,
  });
  return id;
}

export async function applyResend(
  ctx: PortalContext,
  account: DeskAccount,
  form: ResendFormBody,
  clientIp: string,
): Promise<FormOutcome> {
  const decision = checkResendRequest(
    {
      documents: asList(form.documents) as ResendDocument[],
      fromMonth: form.fromMonth.trim(),
      toMonth: form.toMonth.trim(),
    },
    await unitBillingCycle(ctx, account.unit_code),
    ctx.clock(),
  );
  if (!decision.ok) {
    const problems = new ProblemList();
    for (const problem of decision.problems) problems.add({ field: problem.field, kind: 'rule', problem });
    return { ok: false, problems };
  }
  return {
    ok: true,
    requestId: await queue(ctx, account, 'resend', decision.documents, decision.months, clientIp),
  };
}

export async function applyAutoSend(
  ctx: PortalContext,
  account: DeskAccount,
  form: AutoSendFormBody,
  clientIp: string,
): Promise<FormOutcome> {
  const documents = [...new Set(asList(form.documents))].filter((d): d is ResendDocument =>
    (RESEND_DOCUMENTS as readonly string[]).includes(d),
  );
  if (documents.length === 0) {
    const problems = new ProblemList();
    problems.add({
      field: 'documents',
      kind: 'rule',
      problem: { field: 'documents', code: 'ERR_DESK_NO_DOCUMENTS', params: {} },
    });
    return { ok: false, problems };
  }
  const unit = await ctx.db
    .selectFrom('units')
    .selectAll()
    .where('unit_code', '=', account.unit_code)
    .executeTakeFirst();
  if (!unit) {
    const problems = new ProblemList();
    problems.add({ field: 'documents', kind: 'account', code: 'ERR_DESK_UNIT_UNKNOWN' });
    return { ok: false, problems };
  }
  const start = autoSendStart(await unitBillingCycle(ctx, account.unit_code), ctx.clock());
  // The standing order and the subscription it makes stand or fall together.
  const requestId = await ctx.db.transaction().execute(async (trx) => {
    const id = await queue(within(ctx, trx), account, 'auto-send', documents, [start.firstMonth], clientIp);
    await subscribeFromDesk(within(ctx, trx), unit, account.email, start.firstMonth);
    return id;
  });
  return { ok: true, requestId };
}

export interface RequestView {
  request: DeskFormRequest;
  files: { id: string; name: string }[];
}

export async function unitRequests(ctx: PortalContext, unitCode: string): Promise<RequestView[]> {
  const requests = await ctx.db
    .selectFrom('desk_form_requests')
    .selectAll()
    .where('unit_code', '=', unitCode)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  const ids = requests.map((r) => r.id);
  const files =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('desk_form_files')
          .select(['id', 'name', 'request_id'])
          .where('request_id', 'in', ids)
          .orderBy('name')
          .execute();
  return requests.map((request) => ({
    request,
    files: files.filter((f) => f.request_id === request.id).map(({ id, name }) => ({ id, name })),
  }));
}

/** A ready file of the account's own unit, or undefined (another unit's, removed, or unknown: one answer). */
export async function unitFile(ctx: PortalContext, account: DeskAccount, fileId: string, clientIp: string) {
  const file = await ctx.db
    .selectFrom('desk_form_files')
    .innerJoin('desk_form_requests', 'desk_form_requests.id', 'desk_form_files.request_id')
    .select(['desk_form_files.name', 'desk_form_files.content_base64', 'desk_form_requests.unit_code'])
    .where('desk_form_files.id', '=', fileId)
    .where('desk_form_requests.state', '=', 'ready')
    .executeTakeFirst();
  const own = file !== undefined && file.unit_code === account.unit_code;
  await writeAudit(ctx, {
    event: 'desk-download',
    outcome: own ? 'success' : 'refused',
    clientIp,
    unitCode: account.unit_code,
    ...(own ? {} : { errorCode: 'ERR_DESK_FILE_NOT_FOUND' }),
    detail: `file ${fileId.slice(0, 64)}`,
  });
  return own ? { name: file.name, content: Buffer.from(file.content_base64, 'base64') } : undefined;
}
