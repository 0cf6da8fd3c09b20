/**
 * A unit's standing 自動寄發 order (the desk's automatic-sending form, kind 'auto-send'): the slip
 * *and the statements* it asked for arrive by e-mail. The 20th's mailing (jobs/slipDispatch.ts)
 * attaches the statements named here beside the slip. The unit's newest order stands: applying again
 * with other documents replaces the choice.
 */
import type { Kysely } from 'kysely';
import type { ResendDocument } from '../../../shared/desk/formRules.ts';
import type { Database } from '../db/schema.ts';
import { STATEMENT_KINDS, type StatementKind } from '../documents/statements.ts';

export async function autoSendStatements(db: Kysely<Database>, unitCode: string): Promise<StatementKind[]> {
  const order = await db
    .selectFrom('desk_form_requests')
    .select('documents')
    .where('unit_code', '=', unitCode)
    .where('kind', '=', 'auto-send')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!order) return [];
  const asked = JSON.parse(order.documents) as ResendDocument[];
  // In the statements' own order, whatever order the form listed them in.
  return STATEMENT_KINDS.filter((kind) => asked.includes(kind));
}
