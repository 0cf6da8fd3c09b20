/**
 * The filing contracts (issue 10), one TypeBox schema per filing kind, and a submission (one filing
 * or a batch). Both ends import these and check with `Value.Check`; the schemas fix the shape and the
 * normalised form of each value, while ./checks.ts applies the field rules and the dated tables.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  DEPENDANT_ENROL_REASON_CODES,
  DEPENDANT_WITHDRAWAL_REASON_CODES,
  RELATIONSHIP_CODES,
  WITHDRAWAL_REASON_CODES,
} from './codes.ts';
import { MAX_AMOUNT, TEXT_LIMITS } from '../fields/rules.ts';

const literals = <T extends string>(codes: readonly T[]) => Type.Union(codes.map((c) => Type.Literal(c)));

/** Normalised forms, as the field rules return them. */
const IdNumber = Type.String({ pattern: '^[A-Z][1289A-D][0-9]{8}$' });
const PersonName = Type.String({ minLength: 1, maxLength: TEXT_LIMITS.personName * 2 });
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const IsoMonth = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' });
const Amount = Type.Integer({ minimum: 0, maximum: MAX_AMOUNT });
const Percent = Type.Integer({ minimum: 0, maximum: 100 });

export const EnrolFiling = Type.Object(
  {
    kind: Type.Literal('enrol'),
    /** 'nhi': health insurance only; 'joint': 勞健保 together, with the three labour fields. */
    scheme: Type.Union([Type.Literal('nhi'), Type.Literal('joint')]),
    idNumber: IdNumber,
    name: PersonName,
    birthDate: IsoDate,
    enrolmentDate: IsoDate,
    insuredAmount: Amount,
    labourInsuredSalary: Type.Optional(Amount),
    employerPensionPercent: Type.Optional(Percent),
    employeePensionPercent: Type.Optional(Percent),
  },
  { additionalProperties: false },
);

export const WithdrawFiling = Type.Object(
  {
    kind: Type.Literal('withdraw'),
    idNumber: IdNumber,
    date: IsoDate,
    reason: literals(WITHDRAWAL_REASON_CODES),
  },
  { additionalProperties: false },
);

const dependantFields = {
  insuredIdNumber: IdNumber,
  idNumber: IdNumber,
  name: PersonName,
  birthDate: IsoDate,
  relationship: literals(RELATIONSHIP_CODES),
  date: IsoDate,
};

export const DependantEnrolFiling = Type.Object(
  {
    kind: Type.Literal('dependant-enrol'),
    ...dependantFields,
    reason: literals(DEPENDANT_ENROL_REASON_CODES),
  },
  { additionalProperties: false },
);

export const DependantWithdrawFiling = Type.Object(
  {
    kind: Type.Literal('dependant-withdraw'),
    ...dependantFields,
    reason: literals(DEPENDANT_WITHDRAWAL_REASON_CODES),
  },
  { additionalProperties: false },
);

export const AmountChangeFiling = Type.Object(
  {
    kind: Type.Literal('amount-change'),
    idNumber: IdNumber,
    insuredAmount: Amount,
    effectiveMonth: IsoMonth,
    /** When given, the art. 20 notification window is checked. */
    payChangedMonth: Type.Optional(IsoMonth),
  },
  { additionalProperties: false },
);

export const CorrectionFiling = Type.Object(
  {
    kind: Type.Literal('correction'),
    /** The ID number on record now. */
    idNumber: IdNumber,
    newIdNumber: Type.Optional(IdNumber),
    newName: Type.Optional(PersonName),
  },
  { additionalProperties: false },
);

export const Filing = Type.Union([
  EnrolFiling,
  WithdrawFiling,
  DependantEnrolFiling,
  DependantWithdrawFiling,
  AmountChangeFiling,
  CorrectionFiling,
]);

export type EnrolFiling = Static<typeof EnrolFiling>;
export type WithdrawFiling = Static<typeof WithdrawFiling>;
export type DependantEnrolFiling = Static<typeof DependantEnrolFiling>;
export type DependantWithdrawFiling = Static<typeof DependantWithdrawFiling>;
export type AmountChangeFiling = Static<typeof AmountChangeFiling>;
export type CorrectionFiling = Static<typeof CorrectionFiling>;
export type Filing = Static<typeof Filing>;

/** The most filings one submission carries (issue 10: 5,000-row batches work). */
export const MAX_FILINGS_PER_SUBMISSION = 5000;

export const SUBMISSION_FORMAT = 'cardbridge-filing-submission';
export const SUBMISSION_VERSION = 1;

export const Submission = Type.Object(
  {
    format: Type.Literal(SUBMISSION_FORMAT),
    version: Type.Literal(SUBMISSION_VERSION),
    /** The unit filing; its format is the portal's configured pattern (fields/rules.ts unitCode). */
    unitCode: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.unitCode, pattern: '^[0-9A-Za-z]+$' }),
    /** When the clerk pressed "sign", UTC, e.g. 2026-12-02T06:30:00.000Z. */
    submittedAt: Type.String({
      pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{3})?Z$',
    }),
    filings: Type.Array(Filing, { minItems: 1, maxItems: MAX_FILINGS_PER_SUBMISSION }),
  },
  { additionalProperties: false },
);

export type Submission = Static<typeof Submission>;
