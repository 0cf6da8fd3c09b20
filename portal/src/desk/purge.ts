/**
 * Ready files are kept PortalConfig.desk.fileKeepDays days (PORTAL_DESK_FILE_KEEP_DAYS, documented in
 * portal/README.md and said on the progress page), then deleted; their request turns `expired`, so the
 * progress page says why the file is gone. Run by the desk's job loop (portal/src/jobs/deskForms.ts).
 */
import { iso, type PortalContext } from '../services/context.ts';

const DAY_MS = 86_400_000;

/** Removes the files of re-send requests ready longer than the keeping days. Returns the requests expired. */
export async function purgeExpiredFiles(ctx: PortalContext): Promise<number> {
  const cutoff = iso(new Date(ctx.clock().getTime() - ctx.config.desk.fileKeepDays * DAY_MS));
  // Automatic sending is a standing order without files: it stays in force.
  const old = await ctx.db
    .selectFrom('desk_form_requests')
    .select('id')
    .where('state', '=', 'ready')
    .where('kind', '=', 'resend')
    .where('ready_at', '<', cutoff)
    .execute();
  for (const { id } of old) {
    // Files and state change together; a request another runner expired already changes nothing.
    await ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('desk_form_files').where('request_id', '=', id).execute();
      await trx
        .updateTable('desk_form_requests')
        .set({ state: 'expired' })
        .where('id', '=', id)
        .where('state', '=', 'ready')
        .execute();
    });
  }
  return old.length;
}
