/** POST /api/nonces: a login challenge (rate-limited). */
import type { FastifyInstance } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import type { PortalContext } from '../services/context.ts';
import { issueNonce } from '../services/nonces.ts';
import { addRoute } from './route.ts';

export function nonceRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.nonce, () => issueNonce(ctx), {
    rateLimit: { max: ctx.config.rateLimit.max, timeWindow: ctx.config.rateLimit.windowMs },
  });
}
