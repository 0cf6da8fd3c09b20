/** POST /api/registrations (單位註冊) and DELETE /api/registrations/current (cancellation). */
import type { FastifyInstance } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import { audited } from '../services/audit.ts';
import type { PortalContext } from '../services/context.ts';
import { proofSubject } from '../services/mask.ts';
import { verifyProof } from '../services/proofs.ts';
import { cancelRegistration, registerUnit } from '../services/units.ts';
import { registrationView, unitView } from '../services/views.ts';
import { requireSession } from './auth.ts';
import { addRoute } from './route.ts';

export function registrationRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.register, async (request) => {
    const { proof, unitCode, email } = request.body;
    const scope = { claimedSubject: () => proofSubject(proof), ...(unitCode ? { unitCode } : {}) };
    return audited(ctx, 'registration', request.ip, scope, async (s) => {
      const verified = await verifyProof(ctx, proof);
      s.subject = verified.subject;
      const { unit, registration } = await registerUnit(ctx, verified, unitCode, email, s);
      return { unit: unitView(unit), registration: registrationView(registration) };
    });
  });

  addRoute(app, PORTAL_ROUTES.cancelRegistration, async (request) => {
    const session = await requireSession(ctx, request, ['unit']);
    const { proof } = request.body;
    const scope = { claimedSubject: () => proofSubject(proof), unitCode: session.unit.unit_code };
    await audited(ctx, 'registration-cancel', request.ip, scope, async (s) => {
      const verified = await verifyProof(ctx, proof);
      s.subject = verified.subject;
      await cancelRegistration(ctx, session.unit, verified, s);
    });
    return { cancelled: true as const };
  });
}
