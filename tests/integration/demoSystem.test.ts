/**
 * `npm start`'s system (demo/demoSystem.ts) without a browser: it brings up the portal and the
 * virtual cards, registers the host for this user's browsers through a wrapper that carries the lab's
 * environment, prints the demo identities, and on Ctrl-C stops everything and removes what it wrote.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NATIVE_HOST_NAME } from '../../shared/protocol/version.ts';
import { DEMO_NHI_CARD } from '../../lab/cards/nhiCardApplet.ts';
import { freePort } from '../../lab/freePort.ts';

const root = path.resolve(import.meta.dirname, '../..');
const home = mkdtempSync(path.join(tmpdir(), 'cardbridge-demo-home-'));
const varDir = path.join(home, 'var');
let demo: ChildProcess | undefined;

afterAll(() => {
  demo?.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

describe('npm start: the whole local system', () => {
  it('starts the portal and virtual cards, registers the host, and cleans up on Ctrl-C', async () => {
    const port = await freePort();
    let output = '';
    demo = spawn(
      process.execPath,
      ['--import', 'tsx', 'demo/demoSystem.ts', '--no-browser', '--lang', 'en'],
      {
        cwd: root,
        env: {
          ...process.env,
          HOME: home,
          XDG_CONFIG_HOME: path.join(home, '.config'),
          CARDBRIDGE_VAR_DIR: varDir,
          PORTAL_PORT: String(port),
          DISPLAY: '',
          WAYLAND_DISPLAY: '',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    demo.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => demo!.once('exit', (code) => resolve(code)));

    const deadline = Date.now() + 90_000;
    while (!output.includes('The system is ready.')) {
      if (Date.now() > deadline || demo.exitCode !== null) throw new Error(`demo did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    // The identities and PINs are printed for the clerk trying it out.
    expect(output).toContain(DEMO_NHI_CARD.cardNumber);
    expect(output).toContain('PIN 123456');
    expect(output).toContain('load');

    const health = (await (await fetch(`http://127.0.0.1:${port}/api/health`)).json()) as { ok: boolean };
    expect(health.ok).toBe(true);

    // Registered for Chromium and Firefox of this (throw-away) user, through the demo's wrapper.
    const chromiumManifest = path.join(
      home,
      '.config/chromium/NativeMessagingHosts',
      `${NATIVE_HOST_NAME}.json`,
    );
    const firefoxManifest = path.join(home, '.mozilla/native-messaging-hosts', `${NATIVE_HOST_NAME}.json`);
    const manifest = JSON.parse(readFileSync(chromiumManifest, 'utf8')) as {
      path: string;
      allowed_origins: string[];
    };
    expect(manifest.allowed_origins[0]).toMatch(/^chrome-extension:\/\/[a-p]{32}\/$/);
    expect(existsSync(firefoxManifest)).toBe(true);
    // The host a browser would start sees the virtual NHI card.
    const doctor = spawnSync(manifest.path, ['doctor', '--json'], { encoding: 'utf8', env: { HOME: home } });
    const report = JSON.parse(doctor.stdout) as { status: { readers: Array<{ card?: { type: string } }> } };
    expect(report.status.readers.some((r) => r.card?.type === 'nhi')).toBe(true);

    // Ctrl-C in a terminal signals the whole process group: the demo gets it more than once.
    demo.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20)); // while it is cleaning up
    demo.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(chromiumManifest)).toBe(false);
    expect(existsSync(firefoxManifest)).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
    // The lab's pcscd and the demo's wrapper target are gone with it.
    const wrapper = readFileSync(manifest.path, 'utf8');
    const socket = /PCSCLITE_CSOCK_NAME='([^']+)'/.exec(wrapper)?.[1];
    expect(socket && existsSync(socket)).toBeFalsy();
    // The demo's database stays for the next start.
    expect(existsSync(path.join(varDir, 'portal.sqlite'))).toBe(true);
  }, 150_000);
});
