/** Canonical bytes of a submission: deterministic, documented, and refusing what has no canonical form. */
import { createHash } from 'node:crypto';
import { Value } from '@sinclair/typebox/value';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CanonicalFormError,
  canonicalBytes,
  canonicalForm,
  canonicalJson,
  canonicalJsonByParts,
  filingChallengeNonce,
  submissionHash,
  toHex,
} from '../../../shared/filings/canonical.ts';
import { Filing, Submission, type Submission as SubmissionType } from '../../../shared/filings/contracts.ts';

const submission: SubmissionType = {
  format: 'cardbridge-filing-submission',
  version: 1,
  unitCode: '012345678',
  submittedAt: '2026-12-02T06:30:00.000Z',
  filings: [{ kind: 'withdraw', idNumber: 'A123456789', date: '2026-12-01', reason: 'W01' }],
};

describe('canonicalJson', () => {
  it('sorts keys, leaves no whitespace and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: [3, 1, 2], c: { z: true, y: 'x' } })).toBe(
      '{"a":[3,1,2],"b":1,"c":{"y":"x","z":true}}',
    );
  });

  it('gives the same text whatever the key order of the input', () => {
    const reordered = {
      filings: submission.filings,
      submittedAt: submission.submittedAt,
      unitCode: '012345678',
      version: 1,
      format: submission.format,
    };
    expect(canonicalJson(reordered)).toBe(canonicalJson(submission));
  });

  it('writes the documented form of the example submission', () => {
    expect(canonicalJson(submission)).toBe(
      '{"filings":[{"date":"2026-12-01","idNumber":"A123456789","kind":"withdraw","reason":"W01"}],' +
        '"format":"cardbridge-filing-submission","submittedAt":"2026-12-02T06:30:00.000Z","unitCode":"012345678","version":1}',
    );
  });

  it('NFC-normalises strings and writes non-ASCII as itself, escaping controls', () => {
    expect(canonicalJson({ n: 'Jose\u0301 王' })).toBe('{"n":"José 王"}');
    expect(canonicalJson({ n: 'a\u0000"\\' })).toBe('{"n":"a\\u0000\\"\\\\"}');
  });

  it('leaves out undefined properties', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
  });

  it.each([
    ['a fraction', { a: 1.5 }],
    ['an unsafe integer', { a: 2 ** 53 }],
    ['NaN', { a: Number.NaN }],
    ['null', { a: null }],
    ['a Date', { a: new Date(0) }],
    ['a bigint', { a: 1n }],
  ])('refuses %s', (_what, value) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalFormError);
  });

  it('names the path of what it refuses', () => {
    expect(() => canonicalJson({ a: [1, { b: 1.5 }] })).toThrow('$.a[1].b: only safe integers are allowed');
    expect(() => canonicalJson([null])).toThrow('$[0]: null has no canonical form');
  });
});

describe('canonicalJson by native JSON.stringify and part by part', () => {
  // Keys and strings a JSON tree may hold, with the cases the fast path must hand over.
  const key = fc.oneof(
    fc.constantFrom('kind', 'idNumber', 'name', 'a', 'b', '', '10', '2', '__proto__', 'Jose\u0301', 'é', '"'),
    fc.string({ maxLength: 4 }),
  );
  const text = fc.oneof(
    fc.constantFrom('王小明', 'Jose\u0301', 'a\u0000"\\', '\uD800', '\u2028'),
    fc.string({ maxLength: 6, unit: 'binary' }),
  );
  const leaf = fc.oneof(
    text,
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.constant(null),
    fc.constant(undefined),
  );
  const tree = fc.letrec((t) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, t('array'), t('object')),
    array: fc.array(t('value'), { maxLength: 4 }),
    object: fc.dictionary(key, t('value'), { maxKeys: 5 }),
  })).value;
  const either = (f: () => string) => {
    try {
      return { text: f() };
    } catch (error) {
      return { error: error instanceof CanonicalFormError ? error.message : String(error) };
    }
  };

  it('gives the same text, or the same refusal, for any value', () => {
    fc.assert(
      fc.property(tree, (value) => {
        expect(either(() => canonicalJson(value))).toEqual(either(() => canonicalJsonByParts(value)));
      }),
      { numRuns: 2000 },
    );
  });

  // Filings are flat: strings, integers and booleans only, written straight from their values.
  const flatValue = fc.oneof(
    fc.constantFrom('王小明', 'Jose\u0301', 'A123456789', '2026-12-01', 'a"b', '\\', ''),
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.boolean(),
    fc.constantFrom(2 ** 53, 0.5, -0, undefined),
  );
  const flatKey = fc.constantFrom(
    'kind',
    'idNumber',
    'name',
    'birthDate',
    'b',
    'a',
    'Z',
    '10',
    'é',
    '__proto__',
  );
  const flat = fc.dictionary(flatKey, flatValue, { maxKeys: 7 });

  it('gives the same text, or the same refusal, for flat objects in any key order, one after another', () => {
    fc.assert(
      fc.property(fc.array(flat, { minLength: 1, maxLength: 4 }), (records) => {
        for (const record of records)
          expect(either(() => canonicalJson(record))).toEqual(either(() => canonicalJsonByParts(record)));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes integer-like keys in sort order, not first', () => {
    expect(canonicalJson({ b: 1, 10: 2, 2: 3 })).toBe('{"10":2,"2":3,"b":1}');
  });

  it('keeps a __proto__ key as a property', () => {
    expect(canonicalJson(JSON.parse('{"b":1,"__proto__":2}'))).toBe('{"__proto__":2,"b":1}');
  });

  it('normalises strings of objects that share a key order with earlier ones', () => {
    expect(
      canonicalJson([
        { n: 'a', m: 1 },
        { n: 'Jose\u0301', m: 2 },
      ]),
    ).toBe('[{"m":1,"n":"a"},{"m":2,"n":"José"}]');
  });
});

describe('canonicalForm', () => {
  const batch: SubmissionType = {
    ...submission,
    filings: [submission.filings[0]!, { kind: 'correction', idNumber: 'A123456789', newName: 'Jose\u0301' }],
  };

  it('is the canonical text of the whole submission, with each filing its own part', () => {
    const form = canonicalForm(batch);
    expect(form.text).toBe(canonicalJson(batch));
    expect(form.filings).toEqual(batch.filings.map((f) => canonicalJson(f)));
    expect(form.text).toContain(`[${form.filings.join(',')}]`);
    expect(Buffer.from(form.bytes).toString('utf8')).toBe(form.text);
  });

  it('gives the same text when a key sorts before the filings', () => {
    const odd = { ...batch, a: 'x' } as unknown as SubmissionType;
    expect(canonicalForm(odd).text).toBe(canonicalJson(odd));
  });

  it('names the path of a filing it refuses as the whole submission would', () => {
    const bad = {
      ...batch,
      filings: [batch.filings[0]!, { kind: 'x', n: 1.5 }],
    } as unknown as SubmissionType;
    expect(() => canonicalForm(bad)).toThrow('$.filings[1].n: only safe integers are allowed');
  });
});

describe('canonicalBytes and the submission hash', () => {
  it('encodes UTF-8 without a byte-order mark', () => {
    const bytes = canonicalBytes({
      ...submission,
      filings: [{ kind: 'correction', idNumber: 'A123456789', newName: '王' }],
    });
    expect(bytes[0]).toBe(0x7b); // '{'
    expect(Buffer.from(bytes).toString('utf8')).toContain('"newName":"王"');
    expect(Buffer.from(bytes).includes(Buffer.from('王', 'utf8'))).toBe(true);
  });

  it('hashes the canonical bytes with SHA-256 (checked against node:crypto)', async () => {
    const expected = createHash('sha256').update(canonicalBytes(submission)).digest('hex');
    expect(toHex(await submissionHash(submission))).toBe(expected);
  });

  it('changes the hash when any filing value changes', async () => {
    const other = {
      ...submission,
      filings: [{ ...submission.filings[0]!, date: '2026-12-02' }],
    } as SubmissionType;
    expect(toHex(await submissionHash(other))).not.toBe(toHex(await submissionHash(submission)));
  });

  it('derives the card challenge text from the hash, apart from login nonces', async () => {
    const hash = await submissionHash(submission);
    expect(filingChallengeNonce(hash)).toBe(`cardbridge-filing-v1:${toHex(hash)}`);
    expect(() => filingChallengeNonce(hash.subarray(0, 31))).toThrow(RangeError);
  });
});

describe('the Submission and Filing contracts', () => {
  it('accepts the example submission', () => {
    expect(Value.Check(Submission, submission)).toBe(true);
  });

  it.each([
    ['no filings', { ...submission, filings: [] }],
    ['an unknown version', { ...submission, version: 2 }],
    ['a local time', { ...submission, submittedAt: '2026-12-02 14:30' }],
    ['an extra property', { ...submission, note: 'x' }],
  ])('refuses a submission with %s', (_what, value) => {
    expect(Value.Check(Submission, value)).toBe(false);
  });

  it.each([
    ['a lower-case ID', { kind: 'withdraw', idNumber: 'a123456789', date: '2026-12-01', reason: 'W01' }],
    [
      'a reason of another kind',
      { kind: 'withdraw', idNumber: 'A123456789', date: '2026-12-01', reason: 'DW01' },
    ],
    ['a ROC date', { kind: 'withdraw', idNumber: 'A123456789', date: '115/12/01', reason: 'W01' }],
    [
      'an amount as text',
      { kind: 'amount-change', idNumber: 'A123456789', insuredAmount: '45800', effectiveMonth: '2027-01' },
    ],
    [
      'month 13',
      { kind: 'amount-change', idNumber: 'A123456789', insuredAmount: 45800, effectiveMonth: '2027-13' },
    ],
    [
      'an unknown relationship',
      {
        kind: 'dependant-enrol',
        insuredIdNumber: 'A123456789',
        idNumber: 'F134567896',
        name: '林',
        birthDate: '2020-01-01',
        relationship: 'R99',
        date: '2026-12-01',
        reason: 'DA01',
      },
    ],
    ['an unknown kind', { kind: 'transfer', idNumber: 'A123456789' }],
  ])('refuses a filing with %s', (_what, value) => {
    expect(Value.Check(Filing, value)).toBe(false);
  });
});
