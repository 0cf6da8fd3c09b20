/** The portal's e-mail address field, for every route table (browser-safe: TypeBox only). */
import { Type } from '@sinclair/typebox';
import { TEXT_LIMITS } from '../fields/rules.ts';

/** An address with one @, no spaces; the exact rules are the mail server's. */
export const EMAIL_PATTERN = `^[^\\s@]{1,${TEXT_LIMITS.emailLocalPart}}@[^\\s@]+\\.[^\\s@]+$`;
export const Email = Type.String({ maxLength: TEXT_LIMITS.email, pattern: EMAIL_PATTERN });
