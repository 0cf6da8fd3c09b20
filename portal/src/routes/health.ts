/** GET /api/health (public: version and clock, for the extension's self-check) and GET /openapi.json. */
import type { FastifyInstance } from 'fastify';
import packageJson from '../../../package.json' with { type: 'json' };
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import type { PortalContext } from '../services/context.ts';
import { addRoute } from './route.ts';

export function healthRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.health, (request, reply) => {
    // Public (see isPublicRoute): origins outside the CORS list may read it too, Date included.
    if (request.headers.origin !== undefined && !reply.hasHeader('access-control-allow-origin')) {
      void reply.header('access-control-allow-origin', '*').header('access-control-expose-headers', 'Date');
    }
    return { ok: true as const, version: packageJson.version, time: ctx.clock().toISOString() };
  });

  app.get('/openapi.json', { schema: { summary: 'This API as OpenAPI 3', tags: ['meta'] } }, () =>
    app.swagger(),
  );
}
