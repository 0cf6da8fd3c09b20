/** The unit's clerks: list, add, revoke (unit session only). */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AddClerkBody, ClerkView, withErrors } from '../schemas.ts';
import { audited } from '../services/audit.ts';
import { addClerk, listClerks, revokeClerk } from '../services/clerks.ts';
import type { PortalContext } from '../services/context.ts';
import { ID_PATTERN } from '../services/ids.ts';
import { clerkView } from '../services/views.ts';
import { requireSession } from './auth.ts';

const ClerkParams = Type.Object({ clerkId: Type.String({ pattern: ID_PATTERN }) });

/** The unit acting on its clerks, as the audit records it. */
const actorScope = (session: {
  subject: { kind: string; credential: string };
  unit: { unit_code: string };
}) => ({
  subject: `${session.subject.kind}:${session.subject.credential}`,
  unitCode: session.unit.unit_code,
});

export function clerkRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.get(
    '/api/units/current/clerks',
    {
      schema: {
        summary: "The unit's clerks (active and revoked) and the limit",
        tags: ['clerks'],
        security: [{ bearer: [] }],
        response: withErrors({ 200: Type.Object({ clerks: Type.Array(ClerkView), limit: Type.Integer() }) }),
      },
    },
    async (request) => {
      const session = await requireSession(ctx, request, ['unit']);
      const clerks = await listClerks(ctx, session.unit);
      return { clerks: clerks.map(clerkView), limit: ctx.config.maxClerks };
    },
  );

  app.post<{ Body: AddClerkBody }>(
    '/api/units/current/clerks',
    {
      schema: {
        summary: 'Assign a clerk by citizen certificate or NHI card',
        tags: ['clerks'],
        security: [{ bearer: [] }],
        body: AddClerkBody,
        response: withErrors({ 200: Type.Object({ clerk: ClerkView }) }),
      },
    },
    async (request) => {
      const session = await requireSession(ctx, request, ['unit']);
      const scope = actorScope(session);
      const clerk = await audited(ctx, 'clerk-add', request.ip, scope, (s) =>
        addClerk(ctx, session.unit, request.body, s),
      );
      return { clerk: clerkView(clerk) };
    },
  );

  app.delete<{ Params: Static<typeof ClerkParams> }>(
    '/api/units/current/clerks/:clerkId',
    {
      schema: {
        summary: 'Withdraw a clerk (their sessions end at once)',
        tags: ['clerks'],
        security: [{ bearer: [] }],
        params: ClerkParams,
        response: withErrors({ 200: Type.Object({ clerk: ClerkView }) }),
      },
    },
    async (request) => {
      const session = await requireSession(ctx, request, ['unit']);
      const scope = actorScope(session);
      const clerk = await audited(ctx, 'clerk-revoke', request.ip, scope, (s) =>
        revokeClerk(ctx, session.unit, request.params.clerkId, s),
      );
      return { clerk: clerkView(clerk) };
    },
  );
}
