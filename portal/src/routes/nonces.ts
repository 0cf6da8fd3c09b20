/** POST /api/nonces: a login challenge (rate-limited). */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { withErrors } from '../schemas.ts';
import type { PortalContext } from '../services/context.ts';
import { issueNonce } from '../services/nonces.ts';

export function nonceRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.post(
    '/api/nonces',
    {
      config: { rateLimit: { max: ctx.config.rateLimit.max, timeWindow: ctx.config.rateLimit.windowMs } },
      schema: {
        summary: 'Issue a nonce (32 random bytes, base64; single use, 5 minutes)',
        tags: ['proofs'],
        response: withErrors({ 200: Type.Object({ nonce: Type.String(), expiresAt: Type.String() }) }),
      },
    },
    () => issueNonce(ctx),
  );
}
