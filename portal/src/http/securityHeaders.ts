/**
 * Security headers on every response (@fastify/helmet): nothing may be framed, sniffed or sent a
 * referrer, and every page gets a CSP that allows nothing it does not declare itself. Responses are
 * `no-store` unless the route is public: tokens, clerk lists and contact data must never be cached.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** The portal serves JSON and one plain page (/dev/outbox), which allows its own style by hash. */
export const STRICT_CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
} as const;

export async function registerSecurityHeaders(
  app: FastifyInstance,
  isCacheable: (method: string, url: string) => boolean,
): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: { ...STRICT_CSP_DIRECTIVES } },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!isCacheable(request.method, request.url)) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
