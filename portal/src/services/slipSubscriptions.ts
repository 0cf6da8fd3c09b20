/**
 * The e-payment slip subscription (電子繳款單申請及查詢): a unit gives an address, a confirmation
 * link is mailed to it (through the outbox, in the same transaction), and slips go to the address only
 * once the link has been used. The link's token is 32 random bytes; only its SHA-256 is stored, it
 * works once and expires after SLIP_CONFIRM_TTL_MS. A change keeps the old confirmed address in use
 * until the new one is confirmed; a cancellation stops the mailing at once. The desk's automatic-sending
 * application (subscribeFromDesk) subscribes with an address already confirmed (the desk account's)
 * from a first issue month on.
 */
import { randomBytes } from 'node:crypto';
import type { CycleHistory } from '../../../shared/billing/billingCycles.ts';
import type { BillingCycle } from '../../../shared/billing/slipSchedule.ts';
import { nextSlip } from '../../../shared/billing/slipWindow.ts';
import * as rules from '../../../shared/fields/rules.ts';
import { PortalError } from '../../../shared/portal/errors.ts';
import { acceptField } from '../../../shared/portal/fieldErrors.ts';
import type { SlipPeriodView, SlipSubscriptionView } from '../../../shared/portal/slipsApi.ts';
import type { SlipPeriod } from '../../../shared/billing/slipSchedule.ts';
import { formatClerkDate } from '../../../shared/tw/clerkDate.ts';
import { taipeiDate } from '../../../shared/tw/taipeiTime.ts';
import type { SlipSubscription, Unit } from '../db/schema.ts';
import { cycleHistory } from '../billing/billingCycles.ts';
import { iso, within, type PortalContext } from './context.ts';
import { notify } from './notify.ts';
import { hashToken } from './sessions.ts';

export const SLIP_CONFIRM_TTL_MS = 24 * 60 * 60 * 1000;
/** Where the confirmation link leads (the portal's own page, shared/portal/slipsApi.ts confirmSlipPage). */
export const SLIP_CONFIRM_PATH = '/slips/confirm';

export function slipPeriodView(period: SlipPeriod): SlipPeriodView {
  return {
    id: period.id,
    cycle: period.cycle,
    months: [...period.months],
    issueMonth: period.issueMonth,
    issueDate: `${period.issueMonth}-20`,
    dueDate: period.dueDate,
  };
}

/** An active subscription: a confirmed address, not cancelled since. */
export const isActive = (row: SlipSubscription | undefined): boolean =>
  !!row && row.email !== null && row.confirmed_at !== null && row.cancelled_at === null;

/** Whether an active subscription mails the slip of this issue month (YYYY-MM): not before its first. */
export const mailsIssueMonth = (row: SlipSubscription | undefined, issueMonth: string): boolean =>
  isActive(row) && (row!.first_issue_month === null || row!.first_issue_month <= issueMonth);

/** The earlier of two first months, null (at once) being the earliest. */
const earlierStart = (a: string | null, b: string | null): string | null =>
  a === null || b === null ? null : a < b ? a : b;

function view(
  history: CycleHistory,
  ctx: PortalContext,
  row: SlipSubscription | undefined,
): SlipSubscriptionView {
  const next = nextSlip(history, taipeiDate(ctx.clock()));
  // The cycle shown is the one of the next slip (a dated change may start before it).
  const cycle: BillingCycle = next.period.cycle;
  const result: SlipSubscriptionView = { active: isActive(row), cycle, next: slipPeriodView(next.period) };
  if (row?.email && row.cancelled_at === null) result.email = row.email;
  if (row?.confirmed_at && row.cancelled_at === null) result.confirmedAt = row.confirmed_at;
  if (row?.cancelled_at) result.cancelledAt = row.cancelled_at;
  const pendingLive = row?.confirm_expires_at && row.confirm_expires_at > iso(ctx.clock());
  if (row?.pending_email && pendingLive) {
    result.pendingEmail = row.pending_email;
    result.pendingExpiresAt = row.confirm_expires_at!;
  }
  return result;
}

const findSubscription = (ctx: PortalContext, unitId: string) =>
  ctx.db.selectFrom('slip_subscriptions').selectAll().where('unit_id', '=', unitId).executeTakeFirst();

export async function subscriptionOf(ctx: PortalContext, unit: Unit): Promise<SlipSubscriptionView> {
  return view(await cycleHistory(ctx.db, unit), ctx, await findSubscription(ctx, unit.id));
}

/** Gives or changes the address: stores it as pending and mails the link (a new link replaces an old one). */
export async function requestSubscription(
  ctx: PortalContext,
  unit: Unit,
  email: string,
  recordSuccess: (db: PortalContext['db']) => Promise<void>,
): Promise<SlipSubscriptionView> {
  // The one e-mail rule, normalised as the portal stores every address (domain in lower case).
  email = acceptField(rules.email(email), 'email');
  const now = ctx.clock();
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + SLIP_CONFIRM_TTL_MS);
  const pending = {
    pending_email: email,
    confirm_token_hash: hashToken(token),
    confirm_expires_at: iso(expires),
    updated_at: iso(now),
  };
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('slip_subscriptions')
      .values({ unit_id: unit.id, email: null, confirmed_at: null, cancelled_at: null, ...pending })
      .onConflict((oc) => oc.column('unit_id').doUpdateSet(pending))
      .execute();
    await notify(within(ctx, trx), 'slip-address-confirm', email, {
      unitName: unit.name,
      unitCode: unit.unit_code,
      time: iso(now),
      link: `${ctx.config.origin}${SLIP_CONFIRM_PATH}?token=${token}`,
      expires: `${formatClerkDate(taipeiDate(expires))} ${expires.toISOString().slice(11, 16)} UTC`,
    });
    await recordSuccess(trx);
  });
  return subscriptionOf(ctx, unit);
}

/**
 * Uses a confirmation link: one conditional UPDATE takes the token (so two clicks cannot both win) and
 * makes the pending address the confirmed one. Returns the unit the address now serves.
 */
export async function confirmSubscription(
  ctx: PortalContext,
  token: string,
): Promise<{ unit: Unit; email: string }> {
  const now = iso(ctx.clock());
  const hash = hashToken(token);
  const row = await ctx.db
    .selectFrom('slip_subscriptions')
    .selectAll()
    .where('confirm_token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || row.pending_email === null) throw new PortalError('ERR_PORTAL_SLIP_CONFIRM_INVALID');
  if (row.confirm_expires_at === null || row.confirm_expires_at <= now)
    throw new PortalError('ERR_PORTAL_SLIP_CONFIRM_EXPIRED');
  const taken = await ctx.db
    .updateTable('slip_subscriptions')
    .set({
      email: row.pending_email,
      // A changed address keeps the start; a new subscription from the slips page starts at once.
      first_issue_month: isActive(row) ? row.first_issue_month : null,
      confirmed_at: now,
      cancelled_at: null,
      pending_email: null,
      confirm_token_hash: null,
      confirm_expires_at: null,
      updated_at: now,
    })
    .where('unit_id', '=', row.unit_id)
    .where('confirm_token_hash', '=', hash)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) throw new PortalError('ERR_PORTAL_SLIP_CONFIRM_INVALID');
  const unit = await ctx.db
    .selectFrom('units')
    .selectAll()
    .where('id', '=', row.unit_id)
    .executeTakeFirstOrThrow();
  return { unit, email: row.pending_email };
}

/** Stops the mailing (and forgets a pending address and its link). */
export async function cancelSubscription(ctx: PortalContext, unit: Unit): Promise<SlipSubscriptionView> {
  const row = await findSubscription(ctx, unit.id);
  if (!isActive(row) && !row?.pending_email) throw new PortalError('ERR_PORTAL_SLIP_NOT_SUBSCRIBED');
  const now = iso(ctx.clock());
  await ctx.db
    .updateTable('slip_subscriptions')
    .set({
      cancelled_at: now,
      pending_email: null,
      confirm_token_hash: null,
      confirm_expires_at: null,
      updated_at: now,
    })
    .where('unit_id', '=', unit.id)
    .execute();
  return subscriptionOf(ctx, unit);
}

/**
 * The desk's automatic-sending application (申請次期〈以後〉繳款單…自動寄發): the unit's slips go to
 * `email` (the desk account's, confirmed when it was activated or changed) from `firstIssueMonth` on.
 * An active subscription keeps the earlier start, so no month it already gets is skipped. Runs in the
 * caller's transaction (`ctx.db`).
 */
export async function subscribeFromDesk(
  ctx: PortalContext,
  unit: Unit,
  email: string,
  firstIssueMonth: string,
): Promise<void> {
  const row = await findSubscription(ctx, unit.id);
  const now = iso(ctx.clock());
  const start = isActive(row) ? earlierStart(row!.first_issue_month, firstIssueMonth) : firstIssueMonth;
  const subscribed = {
    email,
    confirmed_at: now,
    cancelled_at: null,
    first_issue_month: start,
    updated_at: now,
  };
  await ctx.db
    .insertInto('slip_subscriptions')
    .values({
      unit_id: unit.id,
      pending_email: null,
      confirm_token_hash: null,
      confirm_expires_at: null,
      ...subscribed,
    })
    .onConflict((oc) => oc.column('unit_id').doUpdateSet(subscribed))
    .execute();
}
