/** POST /api/nhi-cards/password: set an NHI card's web password, once. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { NhiCardProof, withErrors } from '../schemas.ts';
import { audited } from '../services/audit.ts';
import type { PortalContext } from '../services/context.ts';
import { nhiSubject } from '../services/mask.ts';
import { setCardPassword } from '../services/nhiCards.ts';

const Body = Type.Object({ proof: NhiCardProof }, { additionalProperties: false });

export function nhiCardRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.post<{ Body: Static<typeof Body> }>(
    '/api/nhi-cards/password',
    {
      schema: {
        summary: "Set the NHI card's web password (first time only)",
        tags: ['proofs'],
        body: Body,
        response: withErrors({ 200: Type.Object({ registered: Type.Literal(true) }) }),
      },
    },
    async (request) => {
      const { proof } = request.body;
      await audited(ctx, 'nhi-password-set', request.ip, { subject: nhiSubject(proof.cardNumber) }, (s) =>
        setCardPassword(ctx, proof, s),
      );
      return { registered: true as const };
    },
  );
}
