/** Filings queries (shared/portal/queriesApi.ts): roster, history, their CSV files, ID reveal. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import { audited } from '../services/audit.ts';
import type { PortalContext } from '../services/context.ts';
import {
  historyCsv,
  historyPage,
  revealIdNumber,
  rosterCsv,
  rosterPage,
  type CsvExport,
} from '../services/queries/queries.ts';
import type { SessionState } from '../services/sessions.ts';
import { requireSession } from './auth.ts';
import { addRoute } from './route.ts';

/** The unit itself and its clerks may query; the unit's data only. */
const ROLES = ['clerk', 'unit'] as const;

const actorScope = (session: SessionState) => ({
  subject: `${session.subject.kind}:${session.subject.credential}`,
  unitCode: session.unit.unit_code,
});

function sendCsv(reply: FastifyReply, csv: CsvExport): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${csv.fileName}"`)
    .send(csv.file);
}

/** A file with full ID numbers leaves the portal's control: audited like a reveal, with the row count. */
async function exportCsv(
  ctx: PortalContext,
  session: SessionState,
  ip: string,
  what: string,
  full: boolean,
  make: () => Promise<CsvExport>,
): Promise<CsvExport> {
  if (!full) return make();
  const scope = { ...actorScope(session), detail: `${what} full ID numbers` };
  return audited(ctx, 'id-export', ip, scope, async (s) => {
    const csv = await make();
    s.detail = `${what} full ID numbers, ${csv.rows} rows`;
    return csv;
  });
}

export function queryRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.roster, async (request) => {
    const session = await requireSession(ctx, request, ROLES);
    return rosterPage(ctx, session.unit.id, request.query);
  });

  addRoute(app, PORTAL_ROUTES.filingHistory, async (request) => {
    const session = await requireSession(ctx, request, ROLES);
    return historyPage(ctx, session.unit.id, request.query);
  });

  addRoute(app, PORTAL_ROUTES.rosterExport, async (request, reply) => {
    const session = await requireSession(ctx, request, ROLES);
    const full = request.query.idNumbers === 'full';
    const csv = await exportCsv(ctx, session, request.ip, 'roster', full, () =>
      rosterCsv(ctx, session.unit.id, request.query),
    );
    return sendCsv(reply, csv);
  });

  addRoute(app, PORTAL_ROUTES.historyExport, async (request, reply) => {
    const session = await requireSession(ctx, request, ROLES);
    const full = request.query.idNumbers === 'full';
    const csv = await exportCsv(ctx, session, request.ip, 'history', full, () =>
      historyCsv(ctx, session.unit.id, request.query),
    );
    return sendCsv(reply, csv);
  });

  addRoute(app, PORTAL_ROUTES.revealIdNumber, async (request) => {
    const session = await requireSession(ctx, request, ROLES);
    const scope = { ...actorScope(session), detail: `${request.body.source} ${request.body.id}` };
    const idNumber = await audited(ctx, 'id-reveal', request.ip, scope, () =>
      revealIdNumber(ctx, session.unit.id, request.body),
    );
    return { idNumber };
  });
}
