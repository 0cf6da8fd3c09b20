/** Properties of the field rules over generated input: hidden characters never pass; rules are idempotent. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as rules from '../../../shared/fields/rules.ts';

const HIDDEN = [
  '\u0000',
  '\r',
  '\n',
  '\t',
  '\u0085',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200B',
  '\uFEFF',
  '\u2028',
];
const textRules = {
  personName: rules.personName,
  email: rules.email,
  date: rules.date,
  idNumber: (s: string) => rules.idNumber(s),
};

describe('field rule properties', () => {
  it.each(Object.entries(textRules))('%s refuses any text with a hidden character in it', (_name, rule) => {
    fc.assert(
      fc.property(fc.string(), fc.constantFrom(...HIDDEN), fc.string(), (before, hidden, after) => {
        const result = rule(before + hidden + after);
        expect(result.ok).toBe(false);
      }),
    );
  });

  it.each(Object.entries(textRules))(
    '%s gives a value it accepts again unchanged (idempotent)',
    (_name, rule) => {
      const candidates = fc.oneof(
        fc.string(),
        fc.constantFrom(
          '王小明',
          ' Kolas\u2027Yotaka ',
          'Jose\u0301',
          'a@Example.COM',
          '115/2/3',
          ' a123456789',
        ),
      );
      fc.assert(
        fc.property(candidates, (input) => {
          const first = rule(input);
          if (!first.ok) return;
          expect(rule(first.value)).toEqual(first);
        }),
      );
    },
  );
});
