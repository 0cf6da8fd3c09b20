/**
 * What is wrong with a posted desk form: one problem per field, shown beside that field. Codes come
 * from the three closed lists (field rules, the desk's account refusals, the form date rules).
 */
import { fieldMessage, type FieldErrorCode } from '../../../shared/fields/errors.ts';
import type { DeskRuleProblem } from '../../../shared/desk/formRules.ts';
import {
  deskAccountError,
  deskRuleMessage,
  DESK_TEXT,
  type DeskAccountErrorCode,
  type DeskLanguage,
  type DeskTextKey,
} from '../../../shared/desk/messages.ts';

export type DeskProblem =
  | { field: string; kind: 'field'; code: FieldErrorCode; label: DeskTextKey }
  | { field: string; kind: 'account'; code: DeskAccountErrorCode; params?: Record<string, string | number> }
  | { field: string; kind: 'rule'; problem: DeskRuleProblem };

export type FormProblems = Record<string, DeskProblem>;

export function problemCode(problem: DeskProblem): string {
  return problem.kind === 'rule' ? problem.problem.code : problem.code;
}

export function problemText(problem: DeskProblem, language: DeskLanguage): string {
  if (problem.kind === 'field') return fieldMessage(problem.code, DESK_TEXT[problem.label], language);
  if (problem.kind === 'account') return deskAccountError(problem.code, language, problem.params);
  return deskRuleMessage(problem.problem, language);
}

/** Collects the first problem of each field. */
export class ProblemList {
  readonly byField: FormProblems = {};
  add(problem: DeskProblem): void {
    this.byField[problem.field] ??= problem;
  }
  has(field: string): boolean {
    return field in this.byField;
  }
  get empty(): boolean {
    return Object.keys(this.byField).length === 0;
  }
  /** The first refusal's code, for the audit row. */
  firstCode(): string {
    const first = Object.values(this.byField)[0];
    return first ? problemCode(first) : 'ERR_FIELD_REQUIRED';
  }
  /** Codes for the audit row (never the values typed). */
  codes(): string {
    return Object.values(this.byField)
      .map((p) => `${p.field}:${problemCode(p)}`)
      .join(',');
  }
}
