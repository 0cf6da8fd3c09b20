/** Mail texts from the one catalogue (zh-TW first, then English) and the file outbox. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAIL_MESSAGES, type MailEvent } from '../../../portal/src/i18n/messages.ts';
import { createFileOutbox } from '../../../portal/src/mail/fileOutbox.ts';
import { composeMail } from '../../../portal/src/mail/templates.ts';

const PARAMS = {
  unitName: 'TEST 卡橋測試股份有限公司',
  unitCode: '012345678',
  time: '2026-01-02T03:04:05.000Z',
  credential: '0000****5678',
  clerkName: '王大明 TEST',
};
const EVENTS = Object.keys(MAIL_MESSAGES) as MailEvent[];

describe('composeMail', () => {
  it.each(EVENTS)('%s: zh-TW first, then English, with the unit and no gaps', (event) => {
    const mail = composeMail(event, 'hr@company.example.test', PARAMS);
    expect(mail).toMatchObject({ to: 'hr@company.example.test', event });
    const zhTime = '115/01/02 11:04（臺北時間）';
    const enTime = '2026/01/02 11:04 (Taipei time)';
    const zh = mail.text.indexOf(MAIL_MESSAGES[event]['zh-TW'].body({ ...PARAMS, time: zhTime }));
    const en = mail.text.indexOf(MAIL_MESSAGES[event].en.body({ ...PARAMS, time: enTime }));
    expect(zh).toBeGreaterThanOrEqual(0);
    expect(en).toBeGreaterThan(zh);
    expect(mail.subject).toContain(MAIL_MESSAGES[event]['zh-TW'].subject);
    expect(mail.subject.indexOf(MAIL_MESSAGES[event].en.subject)).toBeGreaterThan(
      mail.subject.indexOf(MAIL_MESSAGES[event]['zh-TW'].subject),
    );
    expect(mail.text).toContain('012345678');
    expect(mail.text).not.toMatch(/undefined|null|\$\{/);
    expect(MAIL_MESSAGES[event]['zh-TW'].body(PARAMS)).toMatch(/[\u4e00-\u9fff]/);
    expect(
      MAIL_MESSAGES[event].en.body(PARAMS).replace(/TEST 卡橋測試股份有限公司|王大明 TEST/g, ''),
    ).not.toMatch(/[\u4e00-\u9fff]/);
  });

  it.each(EVENTS)('%s: the time in Taipei, as a clerk writes it, never UTC ISO', (event) => {
    // 2026-01-02T03:04:05Z is 11:04 on 2 January in Taipei.
    const { text } = composeMail(event, 'a@example.test', PARAMS);
    expect(text).not.toContain('2026-01-02T03:04:05');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(text).toContain('115/01/02 11:04（臺北時間）');
    expect(text).toContain('2026/01/02 11:04 (Taipei time)');
  });

  it('writes the Taipei day, not the UTC one, late in the evening (UTC)', () => {
    const { text } = composeMail('clerk-added', 'a@example.test', {
      ...PARAMS,
      time: '2026-12-02T16:30:00Z',
    });
    expect(text).toContain('115/12/03 00:30');
  });

  it("greets the clerk by name in the clerk's own notices", () => {
    expect(composeMail('clerk-added-notice', 'c@example.test', PARAMS).text).toContain('王大明 TEST 您好');
    expect(composeMail('clerk-revoked-notice', 'c@example.test', PARAMS).text).toContain('Dear 王大明 TEST');
  });

  it('writes a credential with words in each language, never a family code with a number', () => {
    const credential = {
      'zh-TW': '某某公司 · 經濟部工商憑證管理中心 (MOEACA)（序號 1009）',
      en: '某某公司 · MOEA Certification Authority (MOEACA) (serial 1009)',
    };
    const { text } = composeMail('registration-approved', 'a@example.test', { ...PARAMS, credential });
    expect(text).toContain(`註冊使用的憑證或卡片：${credential['zh-TW']}`);
    expect(text).toContain(`Certificate or card used: ${credential.en}`);
    expect(text).not.toMatch(/MOEACA 1009/);
  });

  it('refuses to build a mail to an address or with text that breaks the field rules', () => {
    expect(() => composeMail('clerk-added', 'a@example.test\r\nBcc: x@evil.example', PARAMS)).toThrow(
      /recipient/,
    );
    expect(() => composeMail('clerk-added', 'a@Example.TEST', PARAMS)).toThrow(/recipient/);
    for (const clerkName of ['王小明\r\nBcc: x@evil.example', '王小明\u202E', '王\u0085小明']) {
      expect(() => composeMail('clerk-added', 'a@example.test', { ...PARAMS, clerkName })).toThrow(
        /clerkName/,
      );
    }
  });

  it('names the clerk in clerk mails', () => {
    expect(composeMail('clerk-added', 'a@example.test', PARAMS).text).toContain('王大明 TEST');
    expect(composeMail('clerk-revoked', 'a@example.test', PARAMS).text).toContain('0000****5678');
  });
});

describe('file outbox', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes an .eml and a .json per mail, in order, and lists them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cardbridge-outbox-'));
    const outbox = createFileOutbox(
      dir,
      'Portal TEST <portal@example.test>',
      () => new Date('2026-01-02T03:04:05Z'),
    );
    await outbox.send(composeMail('registration-approved', 'hr@company.example.test', PARAMS));
    await outbox.send(composeMail('clerk-added', 'hr@company.example.test', PARAMS));
    const files = readdirSync(dir).sort();
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(2);
    expect(files.filter((f) => f.endsWith('.json'))).toHaveLength(2);
    const listed = await outbox.list!();
    expect(listed.map((m) => m.event)).toEqual(['registration-approved', 'clerk-added']);
    const eml = readFileSync(join(dir, listed[0]!.eml), 'utf8');
    expect(eml).toMatch(/^To: hr@company\.example\.test$/m);
    expect(eml).toMatch(/^X-Cardbridge-Event: registration-approved$/im);
    expect(eml).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(listed[0]!.text).toContain('單位註冊');
    await outbox.close();
  });
});
