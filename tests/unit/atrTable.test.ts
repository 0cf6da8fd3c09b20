/** The ATR table: data hygiene (every entry sourced and well-formed) and `..` wildcard matching. */
import { describe, expect, it } from 'vitest';
import {
  ATR_TABLE,
  compileAtrTable,
  lookupAtr,
  type AtrEntry,
} from '../../native-host/src/cards/atrTable.ts';

const entry = (pattern: string, name = pattern): AtrEntry => ({ pattern, type: 'pki', name, source: 'test' });

describe('ATR_TABLE', () => {
  it('is not empty', () => {
    expect(ATR_TABLE.length).toBeGreaterThan(0);
  });

  it.each(ATR_TABLE.map((e) => [e.name, e] as const))('%s has a source, a name and a hex pattern', (_, e) => {
    expect(e.source.trim()).not.toBe('');
    expect(e.name.trim()).not.toBe('');
    expect(['nhi', 'pki', 'unknown']).toContain(e.type);
    const clean = e.pattern.replace(/\s+/g, '');
    // Whole bytes only; an ATR is at most 33 bytes (ISO 7816-3) and at least TS + T0.
    expect(clean).toMatch(/^([0-9a-fA-F]{2}|\.\.)+$/);
    expect(clean.length / 2).toBeGreaterThanOrEqual(2);
    expect(clean.length / 2).toBeLessThanOrEqual(33);
  });

  it('has no duplicate patterns', () => {
    const patterns = ATR_TABLE.map((e) => e.pattern.replace(/\s+/g, '').toLowerCase());
    expect(new Set(patterns).size).toBe(patterns.length);
  });

  it('compiles', () => {
    expect(() => compileAtrTable(ATR_TABLE)).not.toThrow();
  });

  it('finds each entry by its own ATR through the default table (patterns without wildcards)', () => {
    for (const e of ATR_TABLE.filter((x) => !x.pattern.includes('.'))) {
      expect(lookupAtr(Buffer.from(e.pattern.replace(/\s+/g, ''), 'hex'))).toBe(e);
    }
  });
});

describe('lookupAtr', () => {
  const table = compileAtrTable([
    entry('3b 8b 80 01 .. .. 64', 'wild'),
    entry('3B0102', 'upper'),
    entry('3b0102', 'shadowed'), // same ATR: the first entry wins
  ]);

  it('matches `..` against any single byte', () => {
    expect(lookupAtr(Buffer.from('3b8b8001000064', 'hex'), table)?.name).toBe('wild');
    expect(lookupAtr(Buffer.from('3b8b8001ffa564', 'hex'), table)?.name).toBe('wild');
  });

  it('does not let `..` stand for zero or two bytes', () => {
    expect(lookupAtr(Buffer.from('3b8b80010064', 'hex'), table)).toBeUndefined();
    expect(lookupAtr(Buffer.from('3b8b800100000064', 'hex'), table)).toBeUndefined();
  });

  it('matches the whole ATR, not a prefix or a suffix', () => {
    expect(lookupAtr(Buffer.from('3b010200', 'hex'), table)).toBeUndefined();
    expect(lookupAtr(Buffer.from('003b0102', 'hex'), table)).toBeUndefined();
  });

  it('is case-insensitive in the pattern and returns the first match', () => {
    expect(lookupAtr(Buffer.from([0x3b, 0x01, 0x02]), table)?.name).toBe('upper');
  });

  it('returns undefined for an unknown or empty ATR', () => {
    expect(lookupAtr(Buffer.from('3b9f958131fe9f006646530534', 'hex'), table)).toBeUndefined();
    expect(lookupAtr(Buffer.alloc(0), table)).toBeUndefined();
    expect(lookupAtr(Buffer.from('3bff', 'hex'))).toBeUndefined();
  });

  it('matches a wildcard in the middle against exactly one byte', () => {
    const t = compileAtrTable([entry('01..02')]);
    expect(lookupAtr(Buffer.from('01aa02', 'hex'), t)).toBeDefined();
    expect(lookupAtr(Buffer.from('0102', 'hex'), t)).toBeUndefined();
  });
});

describe('compileAtrTable', () => {
  it.each([
    ['non-hex characters', '3b8g'],
    ['an odd number of digits', '3b8'],
    ['a single dot', '3b.'],
    ['regex syntax', '3b.*'],
    ['empty', ''],
  ])('throws on a pattern with %s', (_, pattern) => {
    expect(() => compileAtrTable([entry('3b00'), entry(pattern)])).toThrow(/bad ATR pattern/);
  });

  it('ignores whitespace inside a pattern', () => {
    const t = compileAtrTable([entry(' 3b\t00 \n11 ')]);
    expect(lookupAtr(Buffer.from('3b0011', 'hex'), t)).toBeDefined();
  });
});
