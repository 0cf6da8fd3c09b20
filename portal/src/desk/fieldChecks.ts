/** The desk's field checks: the shared field rules, each refusal on its own field. */
import type { FieldResult } from '../../../shared/fields/rules.ts';
import * as rules from '../../../shared/fields/rules.ts';
import type { DeskTextKey } from '../../../shared/desk/messages.ts';
import type { PortalContext } from '../services/context.ts';
import { passwordProblem } from './passwordPolicy.ts';
import type { ProblemList } from './problems.ts';
import { DESK_SETTINGS } from './settings.ts';

function take<T>(
  problems: ProblemList,
  field: string,
  label: DeskTextKey,
  result: FieldResult<T>,
): T | undefined {
  if (result.ok) return result.value;
  problems.add({ field, kind: 'field', code: result.code, label });
  return undefined;
}

export const checkUnitCode = (ctx: PortalContext, problems: ProblemList, raw: string) =>
  take(problems, 'unitCode', 'unitCode', rules.unitCode(raw, ctx.config.unitCodePattern));
export const checkIdNumber = (problems: ProblemList, raw: string) =>
  take(problems, 'idNumber', 'idNumber', rules.idNumber(raw));
export const checkCardNumber = (problems: ProblemList, raw: string) =>
  take(problems, 'cardNumber', 'cardNumber', rules.nhiCardNumber(raw));
export const checkEmail = (problems: ProblemList, raw: string, field = 'email') =>
  take(problems, field, field === 'email' ? 'email' : 'newEmail', rules.email(raw));

/** A new password: its rules (passwordPolicy.ts), then the repeat. */
export function checkNewPassword(
  problems: ProblemList,
  password: string,
  passwordAgain: string,
  personal: readonly string[],
): string | undefined {
  if (password === '') {
    problems.add({ field: 'password', kind: 'field', code: 'ERR_FIELD_REQUIRED', label: 'password' });
    return undefined;
  }
  const problem = passwordProblem(password, passwordAgain, personal);
  if (problem === 'ERR_DESK_PASSWORD_MISMATCH') {
    problems.add({ field: 'passwordAgain', kind: 'account', code: problem });
    return undefined;
  }
  if (problem) {
    problems.add({
      field: 'password',
      kind: 'account',
      code: problem,
      params: { min: DESK_SETTINGS.minPasswordLength },
    });
    return undefined;
  }
  return password;
}

export function requirePresent(problems: ProblemList, field: string, label: DeskTextKey, raw: string): void {
  if (raw === '') problems.add({ field, kind: 'field', code: 'ERR_FIELD_REQUIRED', label });
}
