/**
 * The extension's message catalogues (extension/public/_locales): both languages have the same keys
 * with the same $1…$9 substitutions, every key the sources ask for exists, and the zh-TW catalogue
 * is really in Chinese.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BATCH_ENCODINGS } from '../../../shared/portal/batchesApi.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXTENSION = path.join(ROOT, 'extension');

type Catalogue = Record<string, { message: string; description?: string }>;

const catalogue = (language: string): Catalogue =>
  JSON.parse(
    readFileSync(path.join(EXTENSION, 'public', '_locales', language, 'messages.json'), 'utf8'),
  ) as Catalogue;

const zh = catalogue('zh_TW');
const en = catalogue('en');
const zhKeys = Object.keys(zh);
const enKeys = Object.keys(en);
const allKeys = [...new Set([...zhKeys, ...enKeys])].sort();

const placeholders = (message: string) => [...new Set(message.match(/\$[1-9]/g) ?? [])].sort();

/** Every .ts and .tsx file under extension/ (the public folder holds no sources). */
function sources(dir: string = EXTENSION): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}
const SOURCE_FILES = sources();
const read = (file: string) => readFileSync(file, 'utf8');
const relative = (file: string) => path.relative(ROOT, file);

/** Error codes are not catalogue keys: t() takes their text from the shared error catalogues. */
const isErrorCode = (key: string) => /^ERR_[A-Z0-9_]+$/.test(key);

const missing = (keys: Iterable<string>) => [...keys].filter((key) => !(key in zh) || !(key in en));

describe('_locales: the two catalogues', () => {
  it('are not empty', () => {
    expect(zhKeys.length).toBeGreaterThan(50);
    expect(enKeys.length).toBeGreaterThan(50);
  });

  it('have exactly the same keys', () => {
    expect(zhKeys.filter((key) => !(key in en))).toEqual([]);
    expect(enKeys.filter((key) => !(key in zh))).toEqual([]);
    expect([...zhKeys].sort()).toEqual([...enKeys].sort());
  });

  it('use only keys the browsers accept ([A-Za-z0-9_])', () => {
    expect(allKeys.filter((key) => !/^[A-Za-z0-9_]+$/.test(key))).toEqual([]);
  });

  it('give every key a non-empty message string', () => {
    for (const [language, messages] of [
      ['zh_TW', zh],
      ['en', en],
    ] as const) {
      const bad = Object.entries(messages)
        .filter(([, entry]) => typeof entry?.message !== 'string' || entry.message.trim() === '')
        .map(([key]) => `${language}:${key}`);
      expect(bad).toEqual([]);
    }
  });

  it('have the same $1…$9 substitutions in both languages for every message', () => {
    const differing = allKeys
      .filter((key) => key in zh && key in en)
      .filter((key) => placeholders(zh[key]!.message).join() !== placeholders(en[key]!.message).join())
      .map(
        (key) =>
          `${key}: zh_TW ${placeholders(zh[key]!.message).join(' ')} / en ${placeholders(en[key]!.message).join(' ')}`,
      );
    expect(differing).toEqual([]);
  });

  it('have Chinese text in the zh_TW catalogue for at least 90% of the keys', () => {
    const cjk = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
    const chinese = zhKeys.filter((key) => cjk.test(zh[key]!.message));
    expect(chinese.length / zhKeys.length).toBeGreaterThanOrEqual(0.9);
  });
});

describe('_locales: the keys the sources use', () => {
  it('finds the extension sources to scan', () => {
    expect(SOURCE_FILES.length).toBeGreaterThan(10);
    expect(SOURCE_FILES.map(relative)).toContain(path.join('extension', 'pages', 'prompt', 'main.tsx'));
  });

  it('has every literal key of t(\'key\') and t("key")', () => {
    const used = new Map<string, string>();
    for (const file of SOURCE_FILES) {
      for (const match of read(file).matchAll(/\bt\(\s*(['"])([^'"\n]+)\1/g)) {
        if (!isErrorCode(match[2]!)) used.set(match[2]!, relative(file));
      }
    }
    // The scan does find keys (t is used throughout the pages).
    expect(used.size).toBeGreaterThan(50);
    expect(missing(used.keys()).map((key) => `${key} (${used.get(key)})`)).toEqual([]);
  });

  // The kinds of the PromptKind union, hard-coded so that a parsing mistake cannot hide a key; the
  // next test checks this list against the union in extension/lib/promptProtocol.ts.
  const PROMPT_KINDS = [
    'authenticate',
    'sign',
    'read-nhi-card',
    'get-certificates',
    'nhi-authenticate',
    'choose-certificate',
  ];

  it('knows every member of the PromptKind union', () => {
    const source = read(path.join(EXTENSION, 'lib', 'promptProtocol.ts'));
    const union = /export type PromptKind\s*=([^;]+);/.exec(source)?.[1];
    expect(union).toBeDefined();
    const members = [...union!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    expect([...members].sort()).toEqual([...PROMPT_KINDS].sort());
  });

  it('has promptTitle_, promptExplain_ and promptApprove_ for every prompt kind', () => {
    const keys = PROMPT_KINDS.flatMap((kind) =>
      ['promptTitle', 'promptExplain', 'promptApprove'].map(
        (prefix) => `${prefix}_${kind.replaceAll('-', '_')}`,
      ),
    );
    expect(missing(keys)).toEqual([]);
  });

  it('has promptRemember_ for the kinds whose prompt offers to remember the consent', () => {
    const prompt = read(path.join(EXTENSION, 'pages', 'prompt', 'main.tsx'));
    const remembering =
      /\(([^()]*)\)\s*&&\s*\(\s*<p data-consent>[^{}]*\{t\('promptConsentOnce'\)\}[^{}]*<input\s+id="remember"/.exec(
        prompt,
      )?.[1];
    expect(remembering).toBeDefined();
    const kinds = [...remembering!.matchAll(/view\.kind === '([^']+)'/g)].map((m) => m[1]!);
    expect(kinds.length).toBeGreaterThan(0);
    expect(missing(kinds.map((kind) => `promptRemember_${kind.replaceAll('-', '_')}`))).toEqual([]);
  });

  it('has promptPurpose_ for every purpose a portal page may give', async () => {
    const { PORTAL_PURPOSES } = await import('../../../extension/lib/promptProtocol.ts');
    expect(PORTAL_PURPOSES.length).toBeGreaterThan(0);
    expect(missing(PORTAL_PURPOSES.map((p) => `promptPurpose_${p.replaceAll('-', '_')}`))).toEqual([]);
  });

  it('has a title and a button that say the task for every purpose a portal page may give', async () => {
    const { PORTAL_PURPOSES } = await import('../../../extension/lib/promptProtocol.ts');
    const keys = PORTAL_PURPOSES.flatMap((p) =>
      ['promptTaskTitle', 'promptTaskApprove'].map((prefix) => `${prefix}_${p.replaceAll('-', '_')}`),
    );
    expect(missing(keys)).toEqual([]);
  });

  it('says the task in the words a clerk uses: 註冊, 登入, 簽署申報, 設定密碼', () => {
    const expected: Array<[string, string, string]> = [
      ['register', '註冊', 'Register'],
      ['unit_login', '登入', 'Log in'],
      ['clerk_login', '登入', 'Log in'],
      ['set_password', '設定密碼', 'Set the password'],
    ];
    for (const [task, chinese, english] of expected) {
      for (const prefix of ['promptTaskTitle', 'promptTaskApprove']) {
        expect(zh[`${prefix}_${task}`]?.message).toBe(chinese);
        expect(en[`${prefix}_${task}`]?.message).toBe(english);
      }
    }
    // A web page's signature is a filing.
    expect([zh.promptTitle_sign?.message, zh.promptApprove_sign?.message]).toEqual(['簽署申報', '簽署申報']);
    expect([en.promptTitle_sign?.message, en.promptApprove_sign?.message]).toEqual([
      'Sign the filing',
      'Sign the filing',
    ]);
    // Registering and setting the password no longer read as a login.
    expect(zh.promptTaskTitle_register?.message).not.toContain('登入');
    expect(zh.promptTaskTitle_set_password?.message).not.toContain('登入');
  });

  it('lists in both languages every field a page receives from the NHI card', () => {
    for (const word of ['卡號', '姓名', '身分證號', '出生日期', '性別', '發卡日期'])
      expect(zh.promptExplain_read_nhi_card?.message).toContain(word);
    for (const word of ['card number', 'name', 'ID number', 'birth date', 'sex', 'issue date'])
      expect(en.promptExplain_read_nhi_card?.message).toContain(word);
  });

  it('knows every template key of the form t(`prefix${…}`) in the sources', () => {
    // Each template prefix the sources use must be one whose expansions this file checks.
    const checked = new Set([
      'promptTitle_',
      'promptExplain_',
      'promptApprove_',
      'promptRemember_',
      'promptPurpose_',
      'promptTaskTitle_',
      'promptTaskApprove_',
      'level_',
      'summary_',
      'family',
      'optionsConsent_',
      'portal_batchEncoding_',
    ]);
    const prefixes = new Set<string>();
    for (const file of SOURCE_FILES) {
      for (const match of read(file).matchAll(/\bt\(\s*`([^`$]*)\$\{/g)) prefixes.add(match[1]!);
    }
    expect(prefixes.size).toBeGreaterThan(0);
    expect([...prefixes].filter((prefix) => !checked.has(prefix))).toEqual([]);
  });

  it('has level_ and summary_ for every self-check level', () => {
    const keys = ['ok', 'warning', 'error'].flatMap((level) => [`level_${level}`, `summary_${level}`]);
    expect(missing([...keys, 'level_info'])).toEqual([]);
  });

  it('has optionsConsent_ for every kind of remembered consent', () => {
    const source = read(path.join(EXTENSION, 'background', 'consent.ts'));
    const kinds = /CONSENT_KINDS = \[([^\]]+)\]/.exec(source)?.[1]?.match(/'([A-Za-z]+)'/g);
    expect(kinds?.length).toBeGreaterThan(0);
    expect(missing(kinds!.map((k) => `optionsConsent_${k.replaceAll("'", '')}`))).toEqual([]);
  });

  it('has portal_batchEncoding_ for every encoding a batch file is read in', () => {
    expect(missing(BATCH_ENCODINGS.map((e) => `portal_batchEncoding_${e.replaceAll('-', '_')}`))).toEqual([]);
  });

  it('has family<name> for every certificate family', () => {
    const source = read(path.join(ROOT, 'shared', 'protocol', 'messages.ts'));
    const union = /CertificateFamilySchema = Type\.Union\(\[([^\]]+)\]/.exec(source)?.[1];
    expect(union).toBeDefined();
    const families = [...union!.matchAll(/Type\.Literal\('([^']+)'\)/g)].map((m) => m[1]!);
    expect(families).toContain('MOICA');
    expect(missing(families.map((family) => `family${family}`))).toEqual([]);
  });
});

describe('_locales: the keys of the self-check items', () => {
  const checks = read(path.join(EXTENSION, 'pages', 'selfcheck', 'checks.ts'));
  const PREFIX = '(?:check|fix|card|clock|certificate)[A-Z_][A-Za-z0-9_]*|(?:level|summary)_[A-Za-z0-9_]+';

  it('has every quoted key of checks.ts', () => {
    const keys = new Set([...checks.matchAll(new RegExp(`'(${PREFIX})'`, 'g'))].map((m) => m[1]!));
    // Sanity: the scan sees the keys of the clock and host items.
    expect([...keys]).toEqual(
      expect.arrayContaining(['checkClock', 'clockAhead', 'clockBehind', 'fixPortalAddress']),
    );
    expect(missing(keys)).toEqual([]);
  });

  it('has every expansion of the template keys of checks.ts', () => {
    // What each interpolated variable of checks.ts can be.
    const values: Record<string, string[]> = {
      os: ['win', 'mac', 'linux'],
      which: ['NotInstalled', 'Incompatible', 'Failed'],
    };
    const templates = [
      ...checks.matchAll(/`@?((?:check|fix|card|clock|certificate|family)[A-Za-z0-9_]*)\$\{([^}]+)\}`/g),
    ];
    expect(templates.map((m) => m[1])).toEqual(
      expect.arrayContaining(['fixClock_', 'fixInstallHost_', 'checkHost']),
    );
    const keys: string[] = [];
    const unknown: string[] = [];
    for (const [whole, prefix, variable] of templates) {
      if (prefix === 'family') continue; // checked against CertificateFamilySchema above
      const expansions = values[variable!.trim()];
      if (!expansions) unknown.push(whole);
      else keys.push(...expansions.map((value) => `${prefix}${value}`));
    }
    expect(unknown).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining(['fixClock_win', 'fixClock_mac', 'fixClock_linux']));
    expect(missing(keys)).toEqual([]);
  });
});
