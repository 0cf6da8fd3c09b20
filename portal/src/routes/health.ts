/** GET /api/health and GET /openapi.json. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import packageJson from '../../../package.json' with { type: 'json' };
import type { PortalContext } from '../services/context.ts';
import { withErrors } from '../schemas.ts';

export function healthRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.get(
    '/api/health',
    {
      schema: {
        summary: 'Liveness, version and the server clock',
        tags: ['meta'],
        response: withErrors({
          200: Type.Object({ ok: Type.Literal(true), version: Type.String(), time: Type.String() }),
        }),
      },
    },
    () => ({ ok: true as const, version: packageJson.version, time: ctx.clock().toISOString() }),
  );

  app.get('/openapi.json', { schema: { summary: 'This API as OpenAPI 3', tags: ['meta'] } }, () =>
    app.swagger(),
  );
}
