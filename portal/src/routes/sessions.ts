/** POST /api/sessions (login, rate-limited), GET and DELETE /api/sessions/current. */
import type { FastifyInstance } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import { audited } from '../services/audit.ts';
import { clerkForProof } from '../services/clerks.ts';
import { within, type PortalContext } from '../services/context.ts';
import { proofSubject } from '../services/mask.ts';
import { verifyProof } from '../services/proofs.ts';
import { logout, openSession, purgeOldSessions } from '../services/sessions.ts';
import { registeredUnitForProof, unitSubject } from '../services/units.ts';
import { unitView } from '../services/views.ts';
import { requireSession } from './auth.ts';
import { addRoute } from './route.ts';

export function sessionRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(
    app,
    PORTAL_ROUTES.login,
    async (request) => {
      const { role, proof, unitCode } = request.body;
      const scope = { claimedSubject: () => proofSubject(proof), ...(unitCode ? { unitCode } : {}) };
      const loggedIn = await audited(ctx, `login-${role}`, request.ip, scope, async (s) => {
        const verified = await verifyProof(ctx, proof);
        s.subject = verified.subject;
        if (role === 'unit') {
          const unit = await registeredUnitForProof(ctx, verified, unitCode, s);
          const subject = unitSubject(verified);
          const session = await openSession(ctx, 'unit', unit, subject, null, s);
          return { ...session, role, unit: unitView(unit), subject };
        }
        const { clerk, unit, subject } = await clerkForProof(ctx, verified, unitCode, s);
        const session = await openSession(ctx, 'clerk', unit, subject, clerk.id, s);
        return { ...session, role, unit: unitView(unit), subject };
      });
      await purgeOldSessions(ctx);
      return loggedIn;
    },
    { rateLimit: { max: ctx.config.rateLimit.max, timeWindow: ctx.config.rateLimit.windowMs } },
  );

  addRoute(app, PORTAL_ROUTES.currentSession, async (request) => {
    const session = await requireSession(ctx, request, ['unit', 'clerk']);
    return {
      role: session.role,
      unit: unitView(session.unit),
      subject: session.subject,
      expiresAt: session.expiresAt,
    };
  });

  addRoute(app, PORTAL_ROUTES.logout, async (request) => {
    const session = await requireSession(ctx, request, ['unit', 'clerk']);
    await audited(
      ctx,
      'logout',
      request.ip,
      {
        subject: `${session.subject.kind}:${session.subject.credential}`,
        unitCode: session.unit.unit_code,
      },
      (s) =>
        ctx.db.transaction().execute(async (trx) => {
          await logout(within(ctx, trx), session);
          await s.recordSuccess?.(trx);
        }),
    );
    return { loggedOut: true as const };
  });
}
