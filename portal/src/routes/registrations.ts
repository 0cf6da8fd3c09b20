/** POST /api/registrations (單位註冊) and DELETE /api/registrations/current (cancellation). */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Email, Proof, RegistrationView, UnitCode, UnitView, withErrors } from '../schemas.ts';
import { audited } from '../services/audit.ts';
import type { PortalContext } from '../services/context.ts';
import { proofSubject } from '../services/mask.ts';
import { verifyProof } from '../services/proofs.ts';
import { cancelRegistration, registerUnit } from '../services/units.ts';
import { registrationView, unitView } from '../services/views.ts';
import { requireSession } from './auth.ts';

const RegisterBody = Type.Object(
  { proof: Proof, unitCode: Type.Optional(UnitCode), email: Type.Optional(Email) },
  { additionalProperties: false },
);
const CancelBody = Type.Object({ proof: Proof }, { additionalProperties: false });

export function registrationRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.post<{ Body: Static<typeof RegisterBody> }>(
    '/api/registrations',
    {
      schema: {
        summary: "Register a unit with its unit certificate or its responsible person's NHI card",
        tags: ['units'],
        body: RegisterBody,
        response: withErrors({ 200: Type.Object({ unit: UnitView, registration: RegistrationView }) }),
      },
    },
    async (request) => {
      const { proof, unitCode, email } = request.body;
      const scope = { claimedSubject: () => proofSubject(proof), ...(unitCode ? { unitCode } : {}) };
      return audited(ctx, 'registration', request.ip, scope, async (s) => {
        const verified = await verifyProof(ctx, proof);
        s.subject = verified.subject;
        const { unit, registration } = await registerUnit(ctx, verified, unitCode, email, s);
        return { unit: unitView(unit), registration: registrationView(registration) };
      });
    },
  );

  app.delete<{ Body: Static<typeof CancelBody> }>(
    '/api/registrations/current',
    {
      schema: {
        summary: "Cancel the logged-in unit's registration (the unit's credential again)",
        tags: ['units'],
        security: [{ bearer: [] }],
        body: CancelBody,
        response: withErrors({ 200: Type.Object({ cancelled: Type.Literal(true) }) }),
      },
    },
    async (request) => {
      const session = await requireSession(ctx, request, ['unit']);
      const { proof } = request.body;
      const scope = { claimedSubject: () => proofSubject(proof), unitCode: session.unit.unit_code };
      await audited(ctx, 'registration-cancel', request.ip, scope, async (s) => {
        const verified = await verifyProof(ctx, proof);
        s.subject = verified.subject;
        await cancelRegistration(ctx, session.unit, verified, s);
      });
      return { cancelled: true as const };
    },
  );
}
