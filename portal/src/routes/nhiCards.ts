/** POST /api/nhi-cards/password: set an NHI card's web password, once. */
import type { FastifyInstance } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import { audited } from '../services/audit.ts';
import type { PortalContext } from '../services/context.ts';
import { nhiSubject } from '../services/mask.ts';
import { setCardPassword } from '../services/nhiCards.ts';
import { addRoute } from './route.ts';

export function nhiCardRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.setNhiCardPassword, async (request) => {
    const { proof } = request.body;
    await audited(ctx, 'nhi-password-set', request.ip, { subject: nhiSubject(proof.cardNumber) }, (s) =>
      setCardPassword(ctx, proof, s),
    );
    return { registered: true as const };
  });
}
