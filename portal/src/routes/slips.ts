/**
 * E-payment slips: the subscription (電子繳款單申請及查詢), the confirmation link's page and the
 * download area (下載區). The link's page is the portal's own HTML (it must open from any mail
 * program): GET shows a Confirm button, its form POSTs the token, so a mail scanner that follows the
 * link does not use it up.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PORTAL_ROUTES } from '../../../shared/portal/api.ts';
import { PortalError, PORTAL_ERROR_MESSAGES, type PortalErrorCode } from '../../../shared/portal/errors.ts';
import { SLIP_CONFIRM_TOKEN_PATTERN } from '../../../shared/portal/slipsApi.ts';
import { PORTAL_NAME, SLIP_CONFIRM_PAGE as P } from '../i18n/messages.ts';
import { audited } from '../services/audit.ts';
import type { PortalContext } from '../services/context.ts';
import { listSlipPeriods, slipDocument, type SlipDocument } from '../services/slipDownloads.ts';
import {
  cancelSubscription,
  confirmSubscription,
  requestSubscription,
  SLIP_CONFIRM_PATH,
  subscriptionOf,
} from '../services/slipSubscriptions.ts';
import type { SessionState } from '../services/sessions.ts';
import { requireSession } from './auth.ts';
import { addRoute } from './route.ts';

const ROLES = ['unit', 'clerk'] as const;
const subjectOf = (s: SessionState) => `${s.subject.kind}:${s.subject.credential}`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small page, zh-TW first; its CSP allows only a form posting back to the portal. */
function sendPage(reply: FastifyReply, status: number, paragraphs: string[], token?: string): FastifyReply {
  const form = token
    ? `<form method="post" action="${SLIP_CONFIRM_PATH}"><input type="hidden" name="token" value="${escapeHtml(token)}">` +
      `<button type="submit">${P.button['zh-TW']} ${P.button.en}</button></form>`
    : '';
  const html =
    `<!doctype html><html lang="zh-TW"><head><meta charset="utf-8"><title>${P.title['zh-TW']} ${P.title.en}</title></head>` +
    `<body><h1>${P.title['zh-TW']}</h1><p>${PORTAL_NAME['zh-TW']} / ${PORTAL_NAME.en}</p>` +
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('') +
    `${form}</body></html>`;
  // With the portal's usual no-referrer policy a browser posts the form with `Origin: null`, which the
  // origin check refuses; same-origin keeps the portal's own origin on the post and tells others nothing.
  reply.header('referrer-policy', 'same-origin');
  reply.header(
    'content-security-policy',
    "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  );
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

const errorParagraphs = (code: PortalErrorCode) => [
  PORTAL_ERROR_MESSAGES[code]['zh-TW'],
  PORTAL_ERROR_MESSAGES[code].en,
];

function sendFile(reply: FastifyReply, contentType: string, file: { bytes: Buffer; fileName: string }) {
  return reply
    .type(contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .send(file.bytes);
}

export function slipRoutes(app: FastifyInstance, ctx: PortalContext): void {
  addRoute(app, PORTAL_ROUTES.slipSubscription, async (request) => {
    const session = await requireSession(ctx, request, ROLES);
    return subscriptionOf(ctx, session.unit);
  });

  addRoute(app, PORTAL_ROUTES.subscribeSlips, async (request) => {
    const session = await requireSession(ctx, request, ROLES);
    const scope = { subject: subjectOf(session), unitCode: session.unit.unit_code };
    return audited(ctx, 'slip-subscribe', request.ip, scope, (s) =>
      requestSubscription(ctx, session.unit, request.body.email, (db) => s.recordSuccess!(db)),
    );
  });

  addRoute(app, PORTAL_ROUTES.cancelSlipSubscription, async (request) => {
    const session = await requireSession(ctx, request, ROLES);
    const scope = { subject: subjectOf(session), unitCode: session.unit.unit_code };
    return audited(ctx, 'slip-cancel', request.ip, scope, () => cancelSubscription(ctx, session.unit));
  });

  addRoute(app, PORTAL_ROUTES.confirmSlipPage, (request, reply) => {
    const { token } = request.query;
    if (!new RegExp(SLIP_CONFIRM_TOKEN_PATTERN).test(token))
      return sendPage(reply, 404, errorParagraphs('ERR_PORTAL_SLIP_CONFIRM_INVALID'));
    return sendPage(reply, 200, [P.ask['zh-TW'], P.ask.en], token);
  });

  // The page's form posts application/x-www-form-urlencoded: parsed here only, for this one route.
  void app.register((scope, _options, registered) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    addRoute(scope, PORTAL_ROUTES.confirmSlipAddress, async (request, reply) => {
      try {
        const { unit, email } = await audited(ctx, 'slip-confirm', request.ip, {}, async (s) => {
          const confirmed = await confirmSubscription(ctx, request.body.token);
          s.unitCode = confirmed.unit.unit_code;
          return confirmed;
        });
        return sendPage(reply, 200, [P.done['zh-TW'](unit.name, email), P.done.en(unit.name, email)]);
      } catch (error) {
        if (!(error instanceof PortalError)) throw error;
        return sendPage(reply, error.statusCode, errorParagraphs(error.code));
      }
    });
    registered();
  });

  addRoute(app, PORTAL_ROUTES.slipPeriods, async (request) => {
    const session = await requireSession(ctx, request, ROLES);
    return listSlipPeriods(ctx, session.unit);
  });

  const download =
    (document: (params: Record<string, string>) => SlipDocument, contentType: string) =>
    async (
      request: { params: unknown } & Parameters<typeof requireSession>[1],
      reply: FastifyReply,
    ): Promise<FastifyReply> => {
      const session = await requireSession(ctx, request, ROLES);
      const params = request.params as Record<string, string>;
      const file = await slipDocument(ctx, session.unit, params.period!, document(params));
      return sendFile(reply, contentType, file);
    };

  addRoute(
    app,
    PORTAL_ROUTES.slipPdf,
    download(() => ({ what: 'slip' }), PORTAL_ROUTES.slipPdf.download.contentType),
  );
  addRoute(
    app,
    PORTAL_ROUTES.statementPdf,
    download(
      (p) => ({ what: 'statement', kind: p.kind as 'detail' | 'summary', format: 'pdf' }),
      PORTAL_ROUTES.statementPdf.download.contentType,
    ),
  );
  addRoute(
    app,
    PORTAL_ROUTES.statementCsv,
    download(
      (p) => ({ what: 'statement', kind: p.kind as 'detail' | 'summary', format: 'csv' }),
      PORTAL_ROUTES.statementCsv.download.contentType,
    ),
  );
}
