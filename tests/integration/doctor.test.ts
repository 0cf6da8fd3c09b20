/** `cardbridge-host doctor` through the built binary: what IT sees, and its exit status. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForeignCardApplet, NhiCardApplet } from '../../lab/cards/nhiCardApplet.ts';
import { Lab } from '../../lab/lab.ts';
import { HOST_BIN } from './helpers/hostProcess.ts';

const logDir = mkdtempSync(path.join(tmpdir(), 'cardbridge-doctor-'));

/** Runs doctor without blocking this process: the virtual cards answer APDUs from its event loop. */
function doctor(env: Record<string, string>, ...args: string[]) {
  return new Promise<{ status: number | null; stdout: string }>((resolve) => {
    const child = spawn(HOST_BIN, ['doctor', ...args], {
      env: { ...process.env, CARDBRIDGE_LOG_DIR: logDir, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('exit', (status) => resolve({ status, stdout }));
  });
}

interface DoctorJson {
  ok: boolean;
  status: { pcsc: { available: boolean }; readers: Array<{ name: string; card?: { type: string } }> };
  checks: Array<{ id: string; severity: string; fix?: { 'zh-TW': string; en: string } }>;
}

describe('doctor', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await Lab.start();
  });
  afterAll(async () => {
    await lab.stop();
  });

  it('exits non-zero and says how to start the service when PC/SC is not running', async () => {
    const r = await doctor({ PCSCLITE_CSOCK_NAME: path.join(logDir, 'no-pcscd.comm') }, '--lang', 'en');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('The smart-card service is not running.');
    expect(r.stdout).toContain('systemctl enable --now pcscd.socket');
    const zh = await doctor({ PCSCLITE_CSOCK_NAME: path.join(logDir, 'no-pcscd.comm') }, '--lang', 'zh-TW');
    expect(zh.stdout).toContain('智慧卡服務沒有執行');
  });

  it('warns, with the fix, when no reader holds a card, and exits 0', async () => {
    const r = await doctor(lab.env, '--json');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as DoctorJson;
    expect(report.ok).toBe(true);
    expect(report.checks.find((c) => c.id === 'cards')).toMatchObject({ severity: 'warning' });
    expect(report.checks.find((c) => c.id === 'cards')?.fix?.en).toMatch(/Insert the NHI card/);
  });

  it('lists an NHI card and flags an unknown card', async () => {
    const nhi = lab.card(new NhiCardApplet(), lab.slot(0));
    const other = lab.card(new ForeignCardApplet(), lab.slot(1));
    await Promise.all([nhi.insert(), other.insert()]);
    await new Promise((r) => setTimeout(r, 800));
    const r = await doctor(lab.env, '--json');
    const report = JSON.parse(r.stdout) as DoctorJson;
    expect(r.status).toBe(0);
    expect(report.status.readers.map((x) => x.card?.type)).toEqual(['nhi', 'unknown']);
    expect(report.checks.find((c) => c.id === 'card-type')).toMatchObject({ severity: 'warning' });
    const text = (await doctor(lab.env, '--lang', 'en')).stdout;
    expect(text).toContain('NHI card');
    expect(text).toContain('neither an NHI card nor a known certificate card');
    await Promise.all([nhi.remove(), other.remove()]);
  });

  it('exits non-zero and asks for a reader when the service has none', async () => {
    await lab.pcscd.stop();
    await lab.pcscd.start([]);
    const r = await doctor(lab.env, '--lang', 'en');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('No card reader was found.');
    expect(r.stdout).toContain('Plug the card reader into a USB port');
  });

  it('prints the version', () => {
    const r = spawnSync(HOST_BIN, ['--version'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
