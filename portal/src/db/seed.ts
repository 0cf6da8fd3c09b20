/**
 * Seed data standing for NHI's own records: insured units (投保單位) and the NHI card registry
 * (card number → holder). Every name is marked TEST, every address is @example.test. The units match
 * the identities of the test PKI (lab/pki/testPki.ts TEST_IDENTITIES) and the lab's demo NHI card
 * (lab/cards/nhiCardApplet.ts DEMO_NHI_CARD); tests check that they stay in step.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface SeedUnit {
  unitCode: string;
  name: string;
  ubn?: string;
  organizationId?: string;
  responsibleId: string;
  responsibleName: string;
  contactEmail: string;
}

export interface SeedCard {
  cardNumber: string;
  holderId: string;
  holderName: string;
}

/** The demo holder: the lab's NHI card and citizen certificate belong to this person. */
export const DEMO_HOLDER = { idNumber: 'A123456789', name: '王大明', cardNumber: '000012345678' } as const;

export const SEED_UNITS: readonly SeedUnit[] = [
  {
    unitCode: '012345678',
    name: 'TEST 卡橋測試股份有限公司',
    ubn: '12345675',
    responsibleId: DEMO_HOLDER.idNumber,
    responsibleName: DEMO_HOLDER.name,
    contactEmail: 'hr@company.example.test',
  },
  {
    unitCode: '023456789',
    name: 'TEST 衛生福利部測試署',
    organizationId: '2.16.886.101.99',
    responsibleId: DEMO_HOLDER.idNumber,
    responsibleName: DEMO_HOLDER.name,
    contactEmail: 'personnel@agency.example.test',
  },
  {
    unitCode: '034567890',
    name: 'TEST 卡橋第二測試有限公司',
    ubn: '23456781',
    responsibleId: 'F131104093',
    responsibleName: '林小華 TEST',
    contactEmail: 'office@second.example.test',
  },
  {
    unitCode: '045678901',
    name: 'TEST 卡橋測試商行',
    ubn: '87654322',
    responsibleId: 'B223456782',
    responsibleName: '陳美玲 TEST',
    contactEmail: 'owner@shop.example.test',
  },
];

export const SEED_CARDS: readonly SeedCard[] = [
  { cardNumber: DEMO_HOLDER.cardNumber, holderId: DEMO_HOLDER.idNumber, holderName: DEMO_HOLDER.name },
  { cardNumber: '000012345679', holderId: 'F131104093', holderName: '林小華 TEST' },
  { cardNumber: '000012345680', holderId: 'B223456782', holderName: '陳美玲 TEST' },
  { cardNumber: '000012345681', holderId: 'E122334457', holderName: '張志明 TEST' },
  { cardNumber: '000012345682', holderId: 'H220001110', holderName: '李淑芬 TEST' },
];

/** Inserts the seed data when the units table is empty. Returns whether it seeded. */
export async function seedIfEmpty(
  db: Kysely<Database>,
  now: Date = new Date(),
  units: readonly SeedUnit[] = SEED_UNITS,
  cards: readonly SeedCard[] = SEED_CARDS,
): Promise<boolean> {
  const existing = await db.selectFrom('units').select('id').limit(1).executeTakeFirst();
  if (existing) return false;
  const createdAt = now.toISOString();
  await db.transaction().execute(async (trx) => {
    for (const u of units) {
      await trx
        .insertInto('units')
        .values({
          id: randomUUID(),
          unit_code: u.unitCode,
          name: u.name,
          ubn: u.ubn ?? null,
          organization_id: u.organizationId ?? null,
          responsible_id: u.responsibleId,
          responsible_name: u.responsibleName,
          contact_email: u.contactEmail,
          created_at: createdAt,
        })
        .execute();
    }
    for (const c of cards) {
      const known = await trx
        .selectFrom('nhi_cards')
        .select('card_number')
        .where('card_number', '=', c.cardNumber)
        .executeTakeFirst();
      if (known) continue;
      await trx
        .insertInto('nhi_cards')
        .values({
          card_number: c.cardNumber,
          holder_id: c.holderId,
          holder_name: c.holderName,
          password_hash: null,
          password_set_at: null,
        })
        .execute();
    }
  });
  return true;
}
