/** NHI card web passwords: set once per card, after the SAM has checked the card's answer. */
import { PortalError } from '../../../shared/portal/errors.ts';
import type { NhiCardProof } from '../../../shared/portal/api.ts';
import type { AuditScope } from './audit.ts';
import { iso, type PortalContext } from './context.ts';
import { consumeNonce } from './nonces.ts';
import { hashPassword } from './passwords.ts';
import { verifyNhiCardResponse } from './proofs.ts';

export async function setCardPassword(
  ctx: PortalContext,
  proof: NhiCardProof,
  scope: AuditScope,
): Promise<void> {
  await consumeNonce(ctx, proof.nonce);
  const card = await verifyNhiCardResponse(ctx, proof);
  if (card.password_hash) throw new PortalError('ERR_PORTAL_PASSWORD_ALREADY_SET');
  const passwordHash = await hashPassword(proof.password);
  // Only if still unset: of two concurrent first registrations one wins.
  await ctx.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('nhi_cards')
      .set({ password_hash: passwordHash, password_set_at: iso(ctx.clock()) })
      .where('card_number', '=', card.card_number)
      .where('password_hash', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new PortalError('ERR_PORTAL_PASSWORD_ALREADY_SET');
    await scope.recordSuccess?.(trx);
  });
}
