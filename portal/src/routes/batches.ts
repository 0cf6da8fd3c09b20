/** Batch upload (媒體申報): preview a file, download the template. Clerk sessions only. */
import type { FastifyInstance } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import { previewBatch } from '../filings/batchPreview.ts';
import { batchTemplateCsv, batchTemplateXlsx } from '../filings/batchTemplate.ts';
import type { PortalContext } from '../services/context.ts';
import { requireSession } from './auth.ts';
import { addRoute } from './route.ts';

export function batchRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.previewBatch, async (request) => {
    const session = await requireSession(ctx, request, ['clerk']);
    return previewBatch(ctx, session.unit.id, request.body);
  });

  addRoute(app, PORTAL_ROUTES.batchTemplateCsv, async (request, reply) => {
    await requireSession(ctx, request, ['clerk']);
    return reply
      .type(`${PORTAL_ROUTES.batchTemplateCsv.download.contentType}; charset=utf-8`)
      .header('content-disposition', 'attachment; filename="cardbridge-batch-template.csv"')
      .send(batchTemplateCsv());
  });

  addRoute(app, PORTAL_ROUTES.batchTemplateXlsx, async (request, reply) => {
    await requireSession(ctx, request, ['clerk']);
    return reply
      .type(PORTAL_ROUTES.batchTemplateXlsx.download.contentType)
      .header('content-disposition', 'attachment; filename="cardbridge-batch-template.xlsx"')
      .send(await batchTemplateXlsx());
  });
}
