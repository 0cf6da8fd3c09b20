/**
 * Drives the desk's pages like a browser without script: keeps cookies, reads the CSRF token and
 * the captcha from the page, posts forms (application/x-www-form-urlencoded) with the portal's
 * Origin. The captcha is answered through its accessible alternative (the sum asked in words).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../../portal/src/db/schema.ts';
import { startSmtp, type ReceivedMail, type SmtpLab } from '../../../lab/smtp.ts';
import { DESK_PATHS } from '../../../shared/desk/deskForms.ts';
import { createPortal, ORIGIN, startBackends, type Backend, type Portal } from '../portal/harness.ts';
import type { TestPki } from '../../../lab/pki/testPki.ts';

const ZH_DIGITS = '零一二三四五六七八九十';

export const DESK_TABLES = [
  'desk_form_files',
  'desk_form_requests',
  'desk_login_events',
  'desk_captchas',
  'desk_tokens',
  'desk_sessions',
  'desk_accounts',
] as const;

/** A portal for the desk (no trust store needed) with the desk's tables emptied. */
export async function createDeskPortal(
  backend: Backend,
  options: { env?: Record<string, string>; smtpUrl?: string } = {},
): Promise<Portal> {
  const portal = await createPortal(backend, {
    pki: undefined as unknown as TestPki,
    trust: null,
    ...options,
  });
  for (const table of DESK_TABLES) await portal.db.deleteFrom(table).execute();
  return portal;
}

/** Answers the captcha's accessible question (zh-TW "七加五等於多少？" or English "seven plus five"). */
export function captchaAnswer(html: string): string {
  const zh = /id="captcha-question">[^<]*?([零一二三四五六七八九十])加([零一二三四五六七八九十])等於/.exec(
    html,
  );
  if (zh) return String(ZH_DIGITS.indexOf(zh[1]!) + ZH_DIGITS.indexOf(zh[2]!));
  const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
  const en = /What is (\w+) plus (\w+)\?/.exec(html);
  if (en) return String(words.indexOf(en[1]!) + words.indexOf(en[2]!));
  throw new Error('no captcha question on the page');
}

export const hiddenValue = (html: string, name: string): string => {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  if (!match) throw new Error(`no ${name} on the page`);
  return match[1]!;
};

/** The error text shown beside a field (its id `<field>-error`), or undefined. */
export function fieldError(html: string, id: string): string | undefined {
  const match = new RegExp(`<p id="${id}-error" class="error">([^<]*)</p>`).exec(html);
  return match ? decodeHtml(match[1]!) : undefined;
}

export const decodeHtml = (text: string) =>
  text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

export class DeskClient {
  readonly cookies = new Map<string, string>();
  lastHtml = '';
  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse): void {
    for (const c of response.cookies) {
      if (c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() } });
    this.remember(response);
    this.lastHtml = response.body;
    return response;
  }

  async post(url: string, fields: Record<string, string | string[]>): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    const response = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: this.cookieHeader(),
        origin: ORIGIN,
      },
    });
    this.remember(response);
    this.lastHtml = response.body;
    return response;
  }

  /** Opens the form's page, then posts the fields with its CSRF token and (if any) its captcha answered. */
  async submit(pageUrl: string, action: string, fields: Record<string, string | string[]>) {
    const page = await this.get(pageUrl);
    const html = page.body;
    const extra: Record<string, string> = { csrf: hiddenValue(html, 'csrf') };
    if (html.includes('name="captchaId"')) {
      extra.captchaId = hiddenValue(html, 'captchaId');
      extra.captcha = captchaAnswer(html);
    }
    return this.post(action, { ...extra, ...fields });
  }
}

export const CLERK = {
  unitCode: '012345678',
  idNumber: 'A123456789',
  cardNumber: '000012345678',
  email: 'clerk@company.example.test',
  password: 'violet harbour lantern 42',
};
/** The clerk of another unit (the second TEST company). */
export const OTHER_CLERK = {
  unitCode: '034567890',
  idNumber: 'F131104093',
  cardNumber: '000012345679',
  email: 'clerk@second.example.test',
  password: 'quiet orchard bicycle 77',
};

export const registration = (clerk: typeof CLERK) => ({ ...clerk, passwordAgain: clerk.password });

/** The mail's text, whatever transfer encoding the mailer chose. */
export function mailText(mail: ReceivedMail): string {
  const encoding = (mail.headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (encoding === 'base64') return Buffer.from(mail.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = mail.body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return mail.body;
}

export const linkIn = (text: string, path: string): string => {
  const match = new RegExp(`${ORIGIN.replace(/\./g, '\\.')}(${path}\\?token=[A-Za-z0-9_-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in the mail`);
  return match[1]!;
};

/** Activates through the token stored for the newest activation (when the mail is not the subject). */
export async function auditEvents(db: Kysely<Database>, event: string) {
  return db.selectFrom('audit').selectAll().where('event', '=', event).orderBy('id').execute();
}

export const eventOf = (m: { headers: Record<string, string> }) => m.headers['x-cardbridge-event'];

/**
 * Follows a mailed link as a clerk does: the GET shows a page with a button (it must not use the
 * link up); the button posts the token.
 */
export async function followLink(client: DeskClient, link: string, action: string) {
  const page = await client.get(link);
  if (page.statusCode !== 200) return page;
  return client.submit(link, action, { token: hiddenValue(page.body, 'token') });
}

/** Registers the clerk through the page and follows the activation link the SMTP lab received. */
export async function registerAndActivate(client: DeskClient, smtp: SmtpLab, clerk = CLERK): Promise<void> {
  const sent = await client.submit(DESK_PATHS.register, DESK_PATHS.register, registration(clerk));
  if (sent.statusCode !== 200) throw new Error(`registration: ${sent.statusCode} ${sent.body}`);
  const mail = await smtp.waitFor(
    (m) => eventOf(m) === 'desk-activation' && m.to.includes(clerk.email),
    30_000,
  );
  const activated = await followLink(
    client,
    linkIn(mailText(mail), DESK_PATHS.activate),
    DESK_PATHS.activate,
  );
  if (activated.statusCode !== 200) throw new Error(`activation: ${activated.statusCode}`);
}

export const logInAs = (client: DeskClient, clerk = CLERK) =>
  client.submit(DESK_PATHS.login, DESK_PATHS.login, {
    unitCode: clerk.unitCode,
    idNumber: clerk.idNumber,
    password: clerk.password,
  });

/** A desk test file's backends and SMTP lab, started before its tests and stopped after them. */
export async function deskLab() {
  const lab = { backends: await startBackends(), smtp: undefined as unknown as SmtpLab };
  beforeAll(async () => {
    lab.smtp = await startSmtp();
  }, 120_000);
  afterAll(async () => {
    await lab.smtp?.stop();
    await lab.backends.postgres?.stop();
  });
  return lab;
}

/** Last month (YYYY-MM, Taipei) on the portal's clock: always within the re-send window. */
export function lastMonthAt(nowMs: number): string {
  const now = new Date(nowMs + 8 * 3_600_000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}
