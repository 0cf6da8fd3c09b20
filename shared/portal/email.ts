/**
 * The portal's e-mail address field, for every route table (api.ts and the area tables spread into
 * it): the one e-mail rule of shared/fields/rules.ts; the portal also stores it normalised by email().
 * Browser-safe: TypeBox only.
 */
import { Type } from '@sinclair/typebox';
import { EMAIL_PATTERN, TEXT_LIMITS } from '../fields/rules.ts';

export const Email = Type.String({ maxLength: TEXT_LIMITS.email, pattern: EMAIL_PATTERN });
