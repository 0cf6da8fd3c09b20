/**
 * GET /dev/outbox (HTML) and GET /api/dev/outbox (JSON): only registered with the file outbox and
 * PORTAL_DEV_OUTBOX=1 (they show contact addresses and names to anyone who asks).
 */
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { OutboxEntry } from '../mail/mailer.ts';
import { withErrors } from './route.ts';

const Entry = Type.Object({
  id: Type.String(),
  date: Type.String(),
  from: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  event: Type.String(),
  text: Type.String(),
  eml: Type.String(),
});

const STYLE =
  'body{font-family:sans-serif;max-width:60rem;margin:auto}pre{white-space:pre-wrap;background:#f4f4f4;padding:1em}';
/** The page's only resource: its own style, allowed by hash (no 'unsafe-inline'). */
const PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function outboxRoutes(app: FastifyInstance, list: () => Promise<OutboxEntry[]>): void {
  app.get(
    '/api/dev/outbox',
    {
      schema: {
        summary: 'Mails written to the file outbox (development only)',
        tags: ['dev'],
        response: withErrors({ 200: Type.Object({ mails: Type.Array(Entry) }) }),
      },
    },
    async () => ({ mails: await list() }),
  );

  app.get(
    '/dev/outbox',
    { schema: { summary: 'Mails written to the file outbox, as a page (development only)', tags: ['dev'] } },
    async (_request, reply) => {
      const mails = (await list()).reverse();
      const items = mails
        .map(
          (m) =>
            `<article><h2>${escapeHtml(m.subject)}</h2><p>${escapeHtml(m.date)} → ${escapeHtml(m.to)} (${escapeHtml(m.event)})</p><pre>${escapeHtml(m.text)}</pre></article>`,
        )
        .join('\n');
      return reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', PAGE_CSP)
        .send(
          `<!doctype html><html lang="zh-TW"><head><meta charset="utf-8"><title>Outbox 寄件匣 (TEST)</title>` +
            `<style>${STYLE}</style>` +
            `</head><body><h1>寄件匣 Outbox (${mails.length})</h1>${items || '<p>（沒有郵件 / no mail）</p>'}</body></html>`,
        );
    },
  );
}
