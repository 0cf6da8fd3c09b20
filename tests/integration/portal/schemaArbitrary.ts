/**
 * fast-check arbitraries from the portal's shared route schemas (PORTAL_ROUTES, TypeBox = JSON
 * schema): values that follow the schema, mixed with hostile ones at every level — hidden characters
 * spliced into strings, wrong types, huge strings, extra and prototype-polluting keys — so that a
 * fuzz run reaches the services as well as the validators.
 */
import fc from 'fast-check';

export interface JsonSchema {
  const?: unknown;
  type?: string;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}

/** The issue 15 examples and their kin: each is a refusal the portal must answer without a 5xx. */
export const HOSTILE_TEXT = [
  '',
  '   ',
  '\u0000',
  '王\u0000小明',
  '王小明\r\nBcc: x@evil.example',
  '\u202E',
  '\u0085',
  '\u2028',
  '\uFEFF',
  '\uD800',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '__proto__',
  'constructor',
  '1e309',
  '-0',
] as const;

const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_TEXT),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.nat({ max: 100_000 }).map((n) => 'A'.repeat(n)),
);

/** A string of the schema with a hidden or odd character put somewhere in it. */
function spliced(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.constantFrom('\u0000', '\r\n', '\u202E', '\u0085', '\u200B', ' ', '\u00A0'), fc.nat())
    .map(([text, odd, at]) => {
      const i = text.length === 0 ? 0 : at % (text.length + 1);
      return `${text.slice(0, i)}${odd}${text.slice(i)}`;
    });
}

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.object({ maxDepth: 2, maxKeys: 3 }),
);

/** Follows the schema most of the time; otherwise hostile, at this level. */
export function fromSchema(schema: object, depth = 0): fc.Arbitrary<unknown> {
  const faithful = faithfulFromSchema(schema, depth);
  return fc.oneof(
    { weight: 8, arbitrary: faithful },
    { weight: 1, arbitrary: wrongType },
    { weight: 1, arbitrary: hostileString },
  );
}

function faithfulFromSchema(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...branches.map((branch) => fromSchema(branch, depth + 1)));
  switch (schema.type) {
    case 'object':
      return objectFromSchema(schema, depth);
    case 'string': {
      const base = schema.pattern
        ? matching(schema.pattern)
        : fc.string({
            minLength: schema.minLength ?? 0,
            maxLength: Math.min(schema.maxLength ?? 60, 60),
            unit: 'grapheme',
          });
      return fc.oneof({ weight: 4, arbitrary: base }, { weight: 1, arbitrary: spliced(base) });
    }
    case 'integer':
      return fc.integer();
    case 'number':
      return fc.double();
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(schema.items ? fromSchema(schema.items, depth + 1) : fc.anything(), { maxLength: 3 });
    default:
      return fc.anything({ maxDepth: 2 });
  }
}

/**
 * Strings matching a pattern. fast-check cannot generate from lookaheads (the e-mail pattern's length
 * guard), so they are left out: the few strings that then break the guard are refusals to fuzz too.
 */
function matching(pattern: string): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(new RegExp(pattern));
  } catch {
    return fc.stringMatching(new RegExp(pattern.replace(/\(\?=[^)]*\)/g, '')));
  }
}

function objectFromSchema(schema: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const record = fc.record(
    Object.fromEntries(Object.entries(properties).map(([key, s]) => [key, fromSchema(s, depth + 1)])),
    { requiredKeys: (schema.required ?? []).filter((key) => key in properties) },
  );
  const extra = fc.option(
    fc.dictionary(fc.constantFrom('extra', 'constructor', 'isAdmin', 'role'), wrongType, { maxKeys: 2 }),
    { freq: 5 },
  );
  return fc.tuple(record, extra).map(([value, more]) => (more ? { ...more, ...value } : value));
}

/** Raw bodies that are not what any schema describes (sent as they are, with a JSON content type). */
export const HOSTILE_RAW_BODIES = [
  '{"__proto__": {"isAdmin": true}, "role": "unit"}',
  '{"constructor": {"prototype": {"isAdmin": true}}}',
  '[]',
  'null',
  '"text"',
  '{',
  '{"a": 1e999999}',
  `${'['.repeat(2000)}${']'.repeat(2000)}`,
  `{"proof": ${'{"a":'.repeat(500)}1${'}'.repeat(500)}}`,
  '\u0000',
] as const;
