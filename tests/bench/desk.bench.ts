/**
 * The e-service desk through its pages, the portal as its own process (SQLite): desk logins per
 * CPU-second of the portal (each one a scrypt verification at the cost stated in the result) and
 * form submissions (表單申請, automatic sending) per second. Pages and captchas are fetched before the timed
 * part; the captcha is answered through its accessible question.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startPortalServer } from '../../lab/portalProcess.ts';
import { PASSWORD_HASH_COST } from '../../portal/src/services/passwords.ts';
import { DESK_PATHS } from '../../shared/desk/deskForms.ts';
import { captchaAnswer, hiddenValue } from '../integration/desk/deskClient.ts';
import { cpuSeconds } from './stats.ts';

const CLERK = {
  unitCode: '012345678',
  idNumber: 'A123456789',
  cardNumber: '000012345678',
  email: 'bench@company.example.test',
  password: 'violet harbour lantern 42',
};
const CONCURRENCY = 4;

class Browserless {
  cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}
  async request(method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
    const response = await fetch(`${this.origin}${url}`, {
      method,
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        origin: this.origin,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      this.cookies.set(name!, value!);
    }
    return { status: response.status, text: await response.text() };
  }
  /** A form page's CSRF token and captcha answer. */
  async prepare(url: string) {
    const page = await this.request('GET', url);
    return {
      csrf: hiddenValue(page.text, 'csrf'),
      captchaId: hiddenValue(page.text, 'captchaId'),
      captcha: captchaAnswer(page.text),
    };
  }
}

async function runAll(jobs: Array<() => Promise<void>>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
  return performance.now() - start;
}

export interface DeskBenchResult {
  loginsPerCpuSecond: number;
  loginsPerSecond: number;
  formsPerSecond: number;
  formsPerCpuSecond: number;
  scrypt: string;
}

export async function benchDesk(logins = 200, submissions = 500): Promise<DeskBenchResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-desk-bench-'));
  const outbox = path.join(dir, 'outbox');
  const portal = await startPortalServer({
    DATABASE_URL: path.join(dir, 'portal.sqlite'),
    PORTAL_OUTBOX_DIR: outbox,
    PORTAL_DESK_RATE_LIMIT_MAX: '1000000',
    PORTAL_LOG_LEVEL: 'warn',
  });
  try {
    const setup = new Browserless(portal.origin);
    const registered = await setup.request('POST', DESK_PATHS.register, {
      ...(await setup.prepare(DESK_PATHS.register)),
      ...CLERK,
      passwordAgain: CLERK.password,
    });
    if (registered.status !== 200) throw new Error(`desk registration failed: ${registered.status}`);
    let link: string | undefined;
    for (let i = 0; i < 100 && !link; i++) {
      await new Promise((r) => setTimeout(r, 100));
      for (const name of readdirSync(outbox).filter((n) => n.endsWith('.json'))) {
        link ??= /\/desk\/activate\?token=[\w-]+/.exec(readFileSync(path.join(outbox, name), 'utf8'))?.[0];
      }
    }
    if (!link) throw new Error('no activation mail');
    // The link's page shows a button; its POST (with the page's CSRF token) activates.
    const confirm = await setup.request('GET', link);
    await setup.request('POST', DESK_PATHS.activate, {
      csrf: hiddenValue(confirm.text, 'csrf'),
      token: hiddenValue(confirm.text, 'token'),
    });

    // Logins: every client prepared (page, CSRF cookie, captcha) before the clock starts.
    const clients = await Promise.all(
      Array.from({ length: logins }, async () => {
        const client = new Browserless(portal.origin);
        return { client, prepared: await client.prepare(DESK_PATHS.login) };
      }),
    );
    let failures = 0;
    const cpuBefore = cpuSeconds(portal.pid);
    const loginMs = await runAll(
      clients.map(({ client, prepared }) => async () => {
        const response = await client.request('POST', DESK_PATHS.login, {
          ...prepared,
          unitCode: CLERK.unitCode,
          idNumber: CLERK.idNumber,
          password: CLERK.password,
        });
        if (response.status !== 303) failures++;
      }),
    );
    const loginCpu = cpuSeconds(portal.pid) - cpuBefore;
    if (failures > 0) throw new Error(`${failures} of ${logins} desk logins failed`);

    // Form submissions by one logged-in clerk: automatic sending (a re-send would also start PDF
    // generation in the background, which is the slips bench's subject).
    const clerk = clients[0]!.client;
    const csrf = hiddenValue((await clerk.request('GET', DESK_PATHS.forms)).text, 'csrf');
    const formCpuBefore = cpuSeconds(portal.pid);
    const formMs = await runAll(
      Array.from({ length: submissions }, () => async () => {
        const response = await clerk.request('POST', DESK_PATHS.formAutoSend, { csrf, documents: 'slip' });
        if (response.status !== 303) failures++;
      }),
    );
    const formCpu = cpuSeconds(portal.pid) - formCpuBefore;
    if (failures > 0) throw new Error(`${failures} of ${submissions} form submissions failed`);
    return {
      loginsPerCpuSecond: Math.round(logins / loginCpu),
      loginsPerSecond: Math.round((logins * 1000) / loginMs),
      formsPerSecond: Math.round((submissions * 1000) / formMs),
      formsPerCpuSecond: Math.round(submissions / formCpu),
      scrypt: `scrypt N=${PASSWORD_HASH_COST.N} r=${PASSWORD_HASH_COST.r} p=${PASSWORD_HASH_COST.p}`,
    };
  } finally {
    await portal.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run alone: `npx tsx tests/bench/desk.bench.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchDesk());
}
