/**
 * Host soak (issue 15): the built host with the lab's pcscd, a virtual NHI card and a SoftHSM token,
 * asked 10,000 mixed operations (status, certificates.list, authenticate, nhi.readBasic). A third of
 * the way in the card is pulled out and put back; two thirds in, pcscd is restarted. Every request
 * must be answered (a result or a documented error), the host's memory trend after warm-up must stay
 * within its bound (least-squares slope in MB/min, and a cap),
 * and at the end it holds no more PKCS#11 workers or open files than after warm-up.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { createTestPki } from '../../lab/pki/testPki.ts';
import { LAB_TOKENS, SoftHsmLab } from '../../lab/softhsm.ts';
import { isErrorCode } from '../../shared/protocol/errors.ts';
import { HostProcess } from '../integration/helpers/hostProcess.ts';
import { MEMORY_BOUNDS, memoryChecks, type RssSample, type SoakCheck } from './soakReport.ts';

const OPERATIONS = Number(process.env.SOAK_HOST_OPERATIONS ?? 10_000);
/** Out of 100: the mix a browser session makes (status often, a card read now and then). */
const MIX: ReadonlyArray<[string, number]> = [
  ['status', 60],
  ['certificates.list', 20],
  ['authenticate', 15],
  ['nhi.readBasic', 5],
];

function procStatus(pid: number, field: string): number {
  return Number(
    new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0,
  );
}

/** Child processes of `pid` (the PKCS#11 workers). */
function children(pid: number): number {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
      .length;
  } catch {
    return 0;
  }
}

const openFiles = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

function pick(i: number): string {
  let roll = (i * 37) % 100;
  for (const [command, weight] of MIX) {
    if (roll < weight) return command;
    roll -= weight;
  }
  return 'status';
}

export async function hostSoak(): Promise<SoakCheck[]> {
  const pki = await createTestPki();
  const hsm = SoftHsmLab.create(pki, [LAB_TOKENS[0]!]);
  const lab = await Lab.start();
  const card = lab.card(new NhiCardApplet(), lab.slot(0));
  await card.insert();
  const host = new HostProcess({
    env: { ...lab.env, ...hsm.env, CARDBRIDGE_PKCS11_MODULES: hsm.module, CARDBRIDGE_LOG_LEVEL: 'info' },
  });
  const pid = host.child.pid!;
  try {
    const listed = (await host.request('certificates.list')).result as {
      certificates: Array<{ id: string; certificate: string }>;
    };
    const target = listed.certificates.find((c) =>
      Buffer.from(c.certificate, 'base64').equals(pki.leaves.citizenSign.certificate),
    );
    if (!target) throw new Error('the SoftHSM token lists no citizen certificate');
    const argumentsOf = (command: string): Record<string, unknown> | undefined => {
      if (command === 'authenticate')
        return {
          origin: 'https://eservice.nhi.gov.tw',
          challengeNonce: randomBytes(32).toString('base64'),
          certificateId: target.id,
          pin: LAB_TOKENS[0]!.pin,
        };
      if (command === 'nhi.readBasic') return { reader: lab.slot(0).reader };
      return undefined;
    };

    const rss: RssSample[] = [];
    const counts = new Map<string, { ok: number; errors: Map<string, number> }>();
    let unanswered = 0;
    let unknownErrors = 0;
    let afterWarmUp = { workers: 0, files: 0 };
    const started = performance.now();
    for (let i = 0; i < OPERATIONS; i++) {
      if (i === Math.floor(OPERATIONS / 3)) {
        await card.remove();
        await new Promise((r) => setTimeout(r, 500));
        await card.insert();
      }
      if (i === Math.floor((2 * OPERATIONS) / 3)) {
        await card.remove();
        await lab.pcscd.stop();
        await lab.pcscd.start();
        await card.insert();
      }
      const command = pick(i);
      const entry = counts.get(command) ?? { ok: 0, errors: new Map<string, number>() };
      counts.set(command, entry);
      try {
        const reply = await host.request(command, argumentsOf(command), 30_000);
        if (reply.error) {
          const code = String((reply.error as { code?: unknown }).code);
          entry.errors.set(code, (entry.errors.get(code) ?? 0) + 1);
          if (!isErrorCode(code)) unknownErrors++;
        } else {
          entry.ok++;
        }
      } catch {
        unanswered++;
      }
      if (i % 200 === 0)
        rss.push({ seconds: (performance.now() - started) / 1000, mb: procStatus(pid, 'VmRSS') / 1024 });
      if (i === Math.floor(OPERATIONS / 4)) afterWarmUp = { workers: children(pid), files: openFiles(pid) };
    }
    const seconds = (performance.now() - started) / 1000;
    const end = { workers: children(pid), files: openFiles(pid) };
    for (const [command, { ok, errors }] of counts) {
      const detail = [...errors].map(([code, n]) => `${code}×${n}`).join(', ');
      process.stdout.write(`${command}: ${ok} answered with a result${detail ? `, errors ${detail}` : ''}\n`);
    }
    process.stdout.write(`RSS every 200 operations (MB): ${rss.map((v) => v.mb.toFixed(0)).join(' ')}\n`);
    return [
      { name: 'host: operations', value: OPERATIONS, unit: '' },
      { name: 'host: operations per second', value: OPERATIONS / seconds, unit: '/s' },
      {
        name: 'host: requests without an answer',
        value: unanswered,
        unit: '',
        goal: '= 0',
        ok: unanswered === 0,
        must: true,
      },
      {
        name: 'host: errors outside the documented list',
        value: unknownErrors,
        unit: '',
        goal: '= 0',
        ok: unknownErrors === 0,
        must: true,
      },
      ...memoryChecks('host', rss, MEMORY_BOUNDS.host),
      {
        name: 'host: PKCS#11 workers at the end (after warm-up)',
        value: end.workers,
        unit: `(${afterWarmUp.workers})`,
        goal: '≤ after warm-up',
        ok: end.workers <= afterWarmUp.workers,
        must: true,
      },
      {
        name: 'host: open files at the end (after warm-up)',
        value: end.files,
        unit: `(${afterWarmUp.files})`,
        goal: '≤ after warm-up + 2',
        ok: end.files <= afterWarmUp.files + 2,
        must: true,
      },
    ];
  } finally {
    await host.close();
    await card.remove();
    await lab.stop();
    hsm.dispose();
  }
}
