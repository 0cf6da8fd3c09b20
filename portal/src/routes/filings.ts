/** Filing submissions (issue 10): submit signed filings, read one back, export its signature. Clerks only. */
import type { FastifyInstance } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import { audited } from '../services/audit.ts';
import type { PortalContext } from '../services/context.ts';
import { receiveSubmission } from '../services/submissions.ts';
import { submissionSignatureFile, submissionView } from '../services/submissionViews.ts';
import { requireSession } from './auth.ts';
import { addRoute } from './route.ts';

export function filingRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.submitFilings, async (request) => {
    const session = await requireSession(ctx, request, ['clerk']);
    const scope = {
      subject: `${session.subject.kind}:${session.subject.credential}`,
      unitCode: session.unit.unit_code,
    };
    return audited(ctx, 'filing-submit', request.ip, scope, (s) =>
      receiveSubmission(ctx, session, request.body, s),
    );
  });

  addRoute(app, PORTAL_ROUTES.submission, async (request) => {
    const session = await requireSession(ctx, request, ['clerk']);
    return submissionView(ctx, session, request.params.id);
  });

  addRoute(app, PORTAL_ROUTES.submissionSignature, async (request, reply) => {
    const session = await requireSession(ctx, request, ['clerk']);
    const file = await submissionSignatureFile(ctx, session, request.params.id);
    return reply
      .type(file.contentType)
      .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
      .send(file.body);
  });
}
