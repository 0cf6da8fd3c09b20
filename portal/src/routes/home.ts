/** GET /api/home: what the landing page after login shows. */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Role, SubjectView, UnitView, withErrors } from '../schemas.ts';
import { countActiveClerks } from '../services/clerks.ts';
import type { PortalContext } from '../services/context.ts';
import { unitView } from '../services/views.ts';
import { requireSession } from './auth.ts';

export function homeRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.get(
    '/api/home',
    {
      schema: {
        summary: 'Home page data for a unit or clerk session',
        tags: ['sessions'],
        security: [{ bearer: [] }],
        response: withErrors({
          200: Type.Object({ unit: UnitView, role: Role, subject: SubjectView, clerkCount: Type.Integer() }),
        }),
      },
    },
    async (request) => {
      const session = await requireSession(ctx, request, ['unit', 'clerk']);
      return {
        unit: unitView(session.unit),
        role: session.role,
        subject: session.subject,
        clerkCount: await countActiveClerks(ctx, session.unit.id),
      };
    },
  );
}
