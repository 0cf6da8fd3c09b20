/**
 * Security headers on every response (helmet): nothing may be framed, sniffed or sent a referrer, and
 * every page gets a CSP that allows nothing it does not declare itself. Responses are `no-store`
 * unless the route is public: tokens, clerk lists and contact data must never be cached.
 *
 * helmet's middleware is built once, here: the fastify plugin built it anew (parsing every option
 * and the CSP) for each request, a few per cent of a login's CPU.
 */
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** The portal serves JSON and one plain page (/dev/outbox), which allows its own style by hash. */
export const STRICT_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
} as const;

export function registerSecurityHeaders(
  app: FastifyInstance,
  isCacheable: (method: string, url: string) => boolean,
): void {
  const headers = helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { ...STRICT_CSP_DIRECTIVES } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  // On the raw response before anything else runs, as the plugin did: refusals carry them too.
  app.addHook('onRequest', (request, reply, done) => {
    headers(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!isCacheable(request.method, request.url)) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
