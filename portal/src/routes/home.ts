/** GET /api/home: what the landing page after login shows. */
import type { FastifyInstance } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import { countActiveClerks } from '../services/clerks.ts';
import type { PortalContext } from '../services/context.ts';
import { unitView } from '../services/views.ts';
import { requireSession } from './auth.ts';
import { addRoute } from './route.ts';

export function homeRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.home, async (request) => {
    const session = await requireSession(ctx, request, ['unit', 'clerk']);
    return {
      unit: unitView(session.unit),
      role: session.role,
      subject: session.subject,
      clerkCount: await countActiveClerks(ctx, session.unit.id),
    };
  });
}
