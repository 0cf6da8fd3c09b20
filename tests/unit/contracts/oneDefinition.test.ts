/**
 * Issue 9: every rule shared by two parts is written once. This scans the product's source (not tests,
 * node_modules or build output), with comments removed, and requires each rule's defining pattern to
 * stand exactly once, in the file that owns it. A copy written later fails here and names both places.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SOURCE_FOLDERS = [
  'extension',
  'native-host',
  'portal',
  'shared',
  'lab',
  'demo',
  'installers',
  'scripts',
];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'tests']);
const SOURCE_FILE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/;

interface SourceFile {
  /** Relative to the repository root, with forward slashes. */
  file: string;
  /** The code as TypeScript prints it with comments removed (string literals keep their source text). */
  code: string;
}

interface Rule {
  rule: string;
  pattern: RegExp;
  /** The one file allowed to hold it. */
  home: string;
}

const RULES: Rule[] = [
  // The authentication token's format and type.
  {
    rule: "the token format 'web-eid:1.0'",
    pattern: /['"`]web-eid:1\.0['"`]/g,
    home: 'shared/authtoken/token.ts',
  },
  { rule: 'AUTH_TOKEN_FORMAT', pattern: /\bAUTH_TOKEN_FORMAT\s*=/g, home: 'shared/authtoken/token.ts' },
  { rule: 'the token schema', pattern: /\bAuthTokenSchema\s*=/g, home: 'shared/authtoken/token.ts' },
  {
    rule: 'the token algorithm type',
    pattern: /\btype\s+TokenAlgorithm\s*=/g,
    home: 'shared/authtoken/token.ts',
  },
  // The error classes.
  {
    rule: 'class CardBridgeError',
    pattern: /\bclass\s+CardBridgeError\b/g,
    home: 'shared/protocol/cardBridgeError.ts',
  },
  { rule: 'class PortalError', pattern: /\bclass\s+PortalError\b/g, home: 'shared/portal/errors.ts' },
  // The login binding H(H(origin) ‖ H(nonce)).
  {
    rule: 'the login signing input H(origin) ‖ H(nonce)',
    pattern: /\bfunction\s+loginSigningInput\b/g,
    home: 'shared/authtoken/loginBinding.ts',
  },
  {
    rule: 'the login binding H(H(origin) ‖ H(nonce))',
    pattern: /\bfunction\s+loginBinding\b/g,
    home: 'shared/authtoken/loginBinding.ts',
  },
  {
    rule: 'hashing the origin for a login',
    pattern: /\.(?:encode|update)\(\s*origin\b/g,
    home: 'shared/authtoken/loginBinding.ts',
  },
  // Hash names and lengths.
  { rule: 'the hash table', pattern: /\bconst\s+HASHES\s*=/g, home: 'shared/crypto/hashes.ts' },
  { rule: 'the hash name type', pattern: /\btype\s+HashName\s*=/g, home: 'shared/crypto/hashes.ts' },
  { rule: "Node's name of SHA-384", pattern: /['"`]sha384['"`]/g, home: 'shared/crypto/hashes.ts' },
  { rule: 'the length of SHA-384', pattern: /\bbytes\s*:\s*48\b/g, home: 'shared/crypto/hashes.ts' },
  {
    rule: 'the SHA-384 DigestInfo prefix',
    pattern: /3041300d060960864801650304020205000430/gi,
    home: 'shared/crypto/hashes.ts',
  },
  // The JWA signature algorithms.
  { rule: 'RS256', pattern: /\bRS256\s*:/g, home: 'shared/crypto/signatureAlgorithms.ts' },
  { rule: 'PS256', pattern: /\bPS256\b/g, home: 'shared/crypto/signatureAlgorithms.ts' },
  { rule: 'ES256', pattern: /\bES256\s*:/g, home: 'shared/crypto/signatureAlgorithms.ts' },
  // The origin parser and its named policies.
  { rule: 'the origin parser', pattern: /\bfunction\s+parseOrigin\b/g, home: 'shared/protocol/origin.ts' },
  {
    rule: "the host's origin policy",
    pattern: /\bfunction\s+hostAllowsOrigin\b/g,
    home: 'shared/protocol/origin.ts',
  },
  {
    rule: "the extension's page origin policy",
    pattern: /\bfunction\s+isPageOriginAllowed\b/g,
    home: 'shared/protocol/origin.ts',
  },
  {
    rule: "the portal's CORS origin policy",
    pattern: /\bfunction\s+isCorsOriginAllowed\b/g,
    home: 'shared/protocol/origin.ts',
  },
  {
    rule: 'the portal origin setting',
    pattern: /\bfunction\s+isValidPortalOrigin\b/g,
    home: 'shared/protocol/origin.ts',
  },
  {
    rule: 'a configured origin',
    pattern: /\bfunction\s+isValidConfiguredOrigin\b/g,
    home: 'shared/protocol/origin.ts',
  },
  // The portal's field rules.
  { rule: 'the e-mail pattern', pattern: /\bEMAIL_PATTERN\s*=/g, home: 'shared/fields/rules.ts' },
  // A limit is a number written beside the field's name (`email: 254`, `UnitCode = …{ maxLength: 32 }`).
  {
    rule: 'the e-mail length limit',
    pattern: /\bemail\b[^\n]*?\bmaxLength\s*:\s*\d|\bemail\s*:\s*\d/gi,
    home: 'shared/fields/rules.ts',
  },
  {
    rule: "the length limit of a person's name",
    pattern: /\b(?:clerk|person)Name\b[^\n]*?\bmaxLength\s*:\s*\d|\bpersonName\s*:\s*\d/gi,
    home: 'shared/fields/rules.ts',
  },
  { rule: 'the NHI card number pattern', pattern: /\^\\{1,2}d\{12\}\$/g, home: 'shared/tw/nationalId.ts' },
  { rule: 'the NHI password schema', pattern: /\bNhiPassword\s*=/g, home: 'shared/portal/api.ts' },
  {
    rule: 'the NHI password limits',
    pattern: /\bminLength\s*:\s*6\s*,\s*maxLength\s*:\s*12\b/g,
    home: 'shared/portal/api.ts',
  },
  {
    rule: 'the unit-code limit',
    pattern: /\bunitCode\b[^\n]*?\bmaxLength\s*:\s*\d|\bunitCode\s*:\s*\d/gi,
    home: 'shared/fields/rules.ts',
  },
];

function sourceFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, folder), { withFileTypes: true })) {
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.'))
        found.push(...sourceFiles(relative));
    } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
      found.push(relative);
    }
  }
  return found;
}

const printer = ts.createPrinter({ removeComments: true });

function withoutComments(file: string, text: string): string {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  return printer.printFile(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind));
}

function readSource(): SourceFile[] {
  return SOURCE_FOLDERS.flatMap(sourceFiles).map((file) => ({
    file,
    code: withoutComments(file, readFileSync(path.join(ROOT, file), 'utf8')),
  }));
}

/** Every file that holds the pattern, once per occurrence. */
function placesOf(pattern: RegExp, source: SourceFile[]): string[] {
  return source.flatMap(({ file, code }) => [...code.matchAll(pattern)].map(() => file));
}

describe('one definition of each rule', () => {
  const source = readSource();

  it('reads the source of every part', () => {
    const parts = new Set(source.map(({ file }) => file.split('/')[0]));
    for (const part of ['extension', 'native-host', 'portal', 'shared', 'lab', 'installers']) {
      expect(parts, part).toContain(part);
    }
    expect(source.some(({ file }) => file.startsWith('tests/'))).toBe(false);
  });

  it.each(RULES)('$rule stands once, in $home', ({ pattern, home }) => {
    expect(placesOf(pattern, source)).toEqual([home]);
  });

  it('no code outside the hash table picks something by comparing hash names', () => {
    // SHA-256 may still be named as a default (ESSCertIDv2 leaves it out); the others only in tables.
    expect(
      placesOf(/[!=]==?\s*['"`]SHA-(?:384|512)['"`]|['"`]SHA-(?:384|512)['"`]\s*[!=]==?/g, source),
    ).toEqual([]);
  });

  it('no two origin checks share a name', () => {
    const names = source.flatMap(({ code }) =>
      [...code.matchAll(/\bfunction\s+(\w*Origin\w*)\s*[(<]/g)].map((match) => match[1]),
    );
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
    expect(names).not.toContain('isOriginAllowed');
  });

  it('finds a copy written in another part, and ignores one in a comment', () => {
    const copy = "export const AUTH_TOKEN_FORMAT = 'web-eid:1.0';\n";
    const planted = [
      ...source,
      { file: 'extension/page-api/copy.ts', code: withoutComments('copy.ts', copy) },
      { file: 'extension/page-api/note.ts', code: withoutComments('note.ts', `// ${copy}/* ${copy} */`) },
    ];
    const rule = RULES.find(({ rule }) => rule === 'AUTH_TOKEN_FORMAT')!;
    expect(placesOf(rule.pattern, planted)).toEqual([rule.home, 'extension/page-api/copy.ts']);
  });
});
