/** Session checks for routes: bearer token → live session of an allowed role; refusals audited. */
import type { FastifyRequest } from 'fastify';
import { PortalError } from '../../../shared/portal/errors.ts';
import type { Role } from '../../../shared/portal/api.ts';
import { markAudited, writeAudit } from '../services/audit.ts';
import type { PortalContext } from '../services/context.ts';
import { authenticate, SessionRefusal, type SessionState } from '../services/sessions.ts';

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header.trim()) : null;
  return match?.[1];
}

export async function requireSession(
  ctx: PortalContext,
  request: FastifyRequest,
  roles: readonly Role[],
): Promise<SessionState> {
  let session: SessionState | undefined;
  try {
    session = await authenticate(ctx, bearerToken(request));
    if (!roles.includes(session.role)) {
      throw new PortalError('ERR_PORTAL_ROLE', {
        detail: `${session.role} on ${request.method} ${request.routeOptions.url}`,
      });
    }
    return session;
  } catch (error) {
    if (error instanceof PortalError) {
      // Who it was, as far as known: the live session, or the refused one on record.
      const known = session
        ? {
            subject: `${session.subject.kind}:${session.subject.credential}`,
            unitCode: session.unit.unit_code,
          }
        : error instanceof SessionRefusal
          ? { subject: error.subject, ...(error.unitCode ? { unitCode: error.unitCode } : {}) }
          : {};
      await writeAudit(ctx, {
        event: 'session-check',
        outcome: 'refused',
        errorCode: error.code,
        clientIp: request.ip,
        detail: error.detail ?? `${request.method} ${request.routeOptions.url}`,
        ...known,
      });
      markAudited(error);
    }
    throw error;
  }
}
