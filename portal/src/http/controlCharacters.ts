/**
 * No text the portal receives may hold C0/C1 control characters (NUL, CR, LF, NEL …): they end up in
 * the database (PostgreSQL refuses NUL outright), in mail headers and in the audit log. Checked before
 * the schemas, for the body, the query and the route parameters alike.
 */
import type { FastifyInstance } from 'fastify';
import { PortalError } from '../../../shared/portal/errors.ts';
import { hasControlCharacter } from '../services/controlText.ts';

/** The path of the first string (key or value) with a control character, e.g. "proof.nonce". */
export function findControlCharacter(value: unknown, depth = 0): string[] | undefined {
  if (typeof value === 'string') return hasControlCharacter(value) ? [] : undefined;
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  // The path is built on the way out of a hit only: a 5,000-filing body has 40,000 strings to pass.
  for (const key of Object.keys(value)) {
    // A key with a control character is named by its position, never echoed.
    if (hasControlCharacter(key)) return ['?'];
    const found = findControlCharacter((value as Record<string, unknown>)[key], depth + 1);
    if (found) {
      found.unshift(key);
      return found;
    }
  }
  return undefined;
}

export function refuseControlCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    for (const [part, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const path = findControlCharacter(value);
      if (path) {
        const field = path.length > 0 ? path.join('.') : part;
        done(
          new PortalError('ERR_PORTAL_CONTROL_CHARACTER', { field, detail: `control character in ${part}` }),
        );
        return;
      }
    }
    done();
  });
}
