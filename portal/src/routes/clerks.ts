/** The unit's clerks: list, add, revoke (unit session only). */
import type { FastifyInstance } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import { audited } from '../services/audit.ts';
import { addClerk, listClerks, revokeClerk } from '../services/clerks.ts';
import type { PortalContext } from '../services/context.ts';
import { clerkView } from '../services/views.ts';
import { requireSession } from './auth.ts';
import { addRoute } from './route.ts';

/** The unit acting on its clerks, as the audit records it. */
const actorScope = (session: {
  subject: { kind: string; credential: string };
  unit: { unit_code: string };
}) => ({
  subject: `${session.subject.kind}:${session.subject.credential}`,
  unitCode: session.unit.unit_code,
});

export function clerkRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.clerks, async (request) => {
    const session = await requireSession(ctx, request, ['unit']);
    const clerks = await listClerks(ctx, session.unit);
    return { clerks: clerks.map(clerkView), limit: ctx.config.maxClerks };
  });

  addRoute(app, PORTAL_ROUTES.addClerk, async (request) => {
    const session = await requireSession(ctx, request, ['unit']);
    const scope = actorScope(session);
    const clerk = await audited(ctx, 'clerk-add', request.ip, scope, (s) =>
      addClerk(ctx, session.unit, request.body, s),
    );
    return { clerk: clerkView(clerk) };
  });

  addRoute(app, PORTAL_ROUTES.revokeClerk, async (request) => {
    const session = await requireSession(ctx, request, ['unit']);
    const scope = actorScope(session);
    const clerk = await audited(ctx, 'clerk-revoke', request.ip, scope, (s) =>
      revokeClerk(ctx, session.unit, request.params.clerkId, s),
    );
    return { clerk: clerkView(clerk) };
  });
}
