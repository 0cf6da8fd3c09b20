/** The seed data stands for NHI's records and must stay in step with the test PKI and the lab card. */
import { describe, expect, it } from 'vitest';
import { DEMO_NHI_CARD } from '../../../lab/cards/nhiCardApplet.ts';
import { TEST_IDENTITIES } from '../../../lab/pki/testPki.ts';
import { DEMO_HOLDER, SEED_CARDS, SEED_UNITS } from '../../../portal/src/db/seed.ts';
import { maskCardNumber, maskIdNumber, proofSubject } from '../../../portal/src/services/mask.ts';
import { checkNationalId } from '../../../shared/tw/nationalId.ts';
import { isValidUbn } from '../../../shared/tw/ubn.ts';

describe('portal seed', () => {
  it("maps the lab's demo NHI card to the demo holder", () => {
    expect(DEMO_HOLDER).toEqual({
      idNumber: DEMO_NHI_CARD.idNumber,
      name: DEMO_NHI_CARD.name,
      cardNumber: DEMO_NHI_CARD.cardNumber,
    });
    expect(SEED_CARDS).toContainEqual({
      cardNumber: '000012345678',
      holderId: 'A123456789',
      holderName: DEMO_NHI_CARD.name,
    });
  });

  it('has the company and the agency of the test PKI, but not the organisation', () => {
    expect(SEED_UNITS).toContainEqual(
      expect.objectContaining({
        ubn: TEST_IDENTITIES.company.ubn,
        name: TEST_IDENTITIES.company.name,
        responsibleId: 'A123456789',
      }),
    );
    expect(SEED_UNITS).toContainEqual(
      expect.objectContaining({ organizationId: TEST_IDENTITIES.agency.organizationId }),
    );
    expect(SEED_UNITS.some((u) => u.organizationId === TEST_IDENTITIES.organisation.organizationId)).toBe(
      false,
    );
    expect(SEED_UNITS.some((u) => u.responsibleId !== DEMO_HOLDER.idNumber)).toBe(true);
  });

  it('holds only valid, TEST-marked data', () => {
    for (const unit of SEED_UNITS) {
      expect(unit.unitCode).toMatch(/^\d{9}$/);
      expect(unit.name).toContain('TEST');
      expect(unit.contactEmail).toMatch(/@([a-z]+\.)?example\.test$/);
      expect(checkNationalId(unit.responsibleId).valid).toBe(true);
      if (unit.ubn) expect(isValidUbn(unit.ubn)).toBe(true);
    }
    for (const card of SEED_CARDS) {
      expect(card.cardNumber).toMatch(/^\d{12}$/);
      expect(checkNationalId(card.holderId).valid).toBe(true);
    }
    expect(new Set(SEED_UNITS.map((u) => u.unitCode)).size).toBe(SEED_UNITS.length);
  });
});

describe('masking', () => {
  it('never shows a full card or ID number', () => {
    expect(maskCardNumber('000012345678')).toBe('0000****5678');
    expect(maskIdNumber('A123456789')).toBe('A1*****789');
    expect(proofSubject({ kind: 'nhi-card', cardNumber: '000012345678' })).toBe('nhi:0000****5678');
    expect(proofSubject({ kind: 'certificate', token: { unverifiedCertificate: 'AAAA' } })).toBe(
      'cert:unreadable',
    );
    expect(proofSubject(null)).toBeUndefined();
  });
});
