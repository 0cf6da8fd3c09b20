/**
 * `npm start`'s system (demo/demoSystem.ts) without a browser: it brings up the portal and the
 * virtual cards, registers the host for this user's browsers through a wrapper that carries the lab's
 * environment, prints the demo identities, and on Ctrl-C, SIGTERM or its portal dying stops everything
 * and removes what it wrote: the host manifests, the lab's folders in the temp directory, its pcscd.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NATIVE_HOST_NAME } from '../../shared/protocol/version.ts';
import { DEMO_NHI_CARD } from '../../lab/cards/nhiCardApplet.ts';
import { freePort } from '../../lab/freePort.ts';

const root = path.resolve(import.meta.dirname, '../..');
const homes: string[] = [];
const demos: ChildProcess[] = [];

afterAll(() => {
  for (const demo of demos) demo.kill('SIGKILL');
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

interface RunningDemo {
  process: ChildProcess;
  port: number;
  home: string;
  /** The demo's temp directory (TMPDIR): where the lab makes its folders. */
  tmpRoot: string;
  varDir: string;
  output(): string;
  exited: Promise<number | null>;
  manifests: { chromium: string; firefox: string };
}

/**
 * Starts the demo for a throw-away user with the lab's cards, and waits until it is ready. Without a
 * display it opens no browser; with one it runs in a process group of its own, as in a terminal.
 */
async function startDemo(display = ''): Promise<RunningDemo> {
  const home = mkdtempSync(path.join(tmpdir(), 'cardbridge-demo-home-'));
  homes.push(home);
  const tmpRoot = path.join(home, 'tmp');
  mkdirSync(tmpRoot);
  const varDir = path.join(home, 'var');
  const port = await freePort();
  let output = '';
  const demo = spawn(
    process.execPath,
    ['--import', 'tsx', 'demo/demoSystem.ts', ...(display ? [] : ['--no-browser']), '--lang', 'en'],
    {
      cwd: root,
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: path.join(home, '.config'),
        TMPDIR: tmpRoot,
        CARDBRIDGE_VAR_DIR: varDir,
        CARDBRIDGE_DEMO_CARDS: 'lab',
        PORTAL_PORT: String(port),
        DISPLAY: display,
        WAYLAND_DISPLAY: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: display !== '',
    },
  );
  demos.push(demo);
  demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));

  const deadline = Date.now() + 90_000;
  while (!output.includes('The system is ready.')) {
    if (Date.now() > deadline || demo.exitCode !== null) throw new Error(`demo did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const manifests = {
    chromium: path.join(home, '.config/chromium/NativeMessagingHosts', `${NATIVE_HOST_NAME}.json`),
    firefox: path.join(home, '.mozilla/native-messaging-hosts', `${NATIVE_HOST_NAME}.json`),
  };
  return { process: demo, port, home, tmpRoot, varDir, output: () => output, exited, manifests };
}

/** What the demo started in the temp directory: the lab's pcscd folder and the SoftHSM tokens. */
function labFolders(tmpRoot: string): string[] {
  return readdirSync(tmpRoot).filter((name) => name.startsWith('cardbridge-'));
}

/** Processes still running with the demo's temp directory on their command line (the lab's pcscd). */
function processesUsing(tmpRoot: string): string {
  return spawnSync('pgrep', ['-a', '-f', tmpRoot], { encoding: 'utf8' }).stdout.trim();
}

async function expectCleanedUp(demo: RunningDemo): Promise<void> {
  expect(existsSync(demo.manifests.chromium)).toBe(false);
  expect(existsSync(demo.manifests.firefox)).toBe(false);
  expect(labFolders(demo.tmpRoot)).toEqual([]);
  expect(processesUsing(demo.tmpRoot)).toBe('');
  await expect(fetch(`http://127.0.0.1:${demo.port}/api/health`)).rejects.toThrow();
  // The demo's database stays for the next start.
  expect(existsSync(path.join(demo.varDir, 'portal.sqlite'))).toBe(true);
}

/** The lab is really up: its folders exist and its pcscd runs. */
function expectLabRunning(demo: RunningDemo): void {
  expect(labFolders(demo.tmpRoot).some((name) => name.startsWith('cardbridge-lab-'))).toBe(true);
  expect(processesUsing(demo.tmpRoot)).toContain('pcscd');
  expect(existsSync(demo.manifests.chromium)).toBe(true);
  expect(existsSync(demo.manifests.firefox)).toBe(true);
}

/** A virtual display (Xvfb) on a free display number, or undefined where Xvfb is not installed. */
async function virtualDisplay(): Promise<{ display: string; stop(): void } | undefined> {
  if (spawnSync('sh', ['-c', 'command -v Xvfb'], { stdio: 'ignore' }).status !== 0) return undefined;
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24'], {
    stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
  });
  const number = await new Promise<string>((resolve, reject) => {
    let text = '';
    (xvfb.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
    xvfb.once('exit', () => reject(new Error('Xvfb did not start')));
  });
  return { display: `:${number}`, stop: () => xvfb.kill() };
}

describe('npm start: the whole local system', () => {
  it('starts the portal and virtual cards, registers the host, and cleans up on Ctrl-C', async () => {
    const demo = await startDemo();
    // The identities and PINs are printed for the clerk trying it out.
    expect(demo.output()).toContain(DEMO_NHI_CARD.cardNumber);
    expect(demo.output()).toContain('PIN 123456');
    expect(demo.output()).toContain('load');

    const health = (await (await fetch(`http://127.0.0.1:${demo.port}/api/health`)).json()) as {
      ok: boolean;
    };
    expect(health.ok).toBe(true);

    // Registered for Chromium and Firefox of this (throw-away) user, through the demo's wrapper.
    const manifest = JSON.parse(readFileSync(demo.manifests.chromium, 'utf8')) as {
      path: string;
      allowed_origins: string[];
    };
    expect(manifest.allowed_origins[0]).toMatch(/^chrome-extension:\/\/[a-p]{32}\/$/);
    expectLabRunning(demo);
    // The host a browser would start sees the virtual NHI card.
    const doctor = spawnSync(manifest.path, ['doctor', '--json'], {
      encoding: 'utf8',
      env: { HOME: demo.home },
    });
    const report = JSON.parse(doctor.stdout) as { status: { readers: Array<{ card?: { type: string } }> } };
    expect(report.status.readers.some((r) => r.card?.type === 'nhi')).toBe(true);

    // Ctrl-C in a terminal signals the whole process group: the demo gets it more than once.
    demo.process.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20)); // while it is cleaning up
    demo.process.kill('SIGINT');
    expect(await demo.exited).toBe(0);
    await expectCleanedUp(demo);
  }, 150_000);

  it('cleans up on SIGTERM like on Ctrl-C', async () => {
    const demo = await startDemo();
    expectLabRunning(demo);
    demo.process.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    await expectCleanedUp(demo);
  }, 150_000);

  it('stops and cleans up when its portal dies', async () => {
    const demo = await startDemo();
    expectLabRunning(demo);
    const portalPid = spawnSync('pgrep', ['-P', String(demo.process.pid), '-f', 'portal/src/main.ts'], {
      encoding: 'utf8',
    }).stdout.trim();
    expect(portalPid).toMatch(/^\d+$/);
    process.kill(Number(portalPid), 'SIGKILL');
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toContain('The portal stopped');
    await expectCleanedUp(demo);
  }, 150_000);

  it('with a display, cleans up Chromium and the rest when Ctrl-C reaches its process group', async (context) => {
    const screen = await virtualDisplay();
    if (!screen) return context.skip('Xvfb is not installed (apt-get install xvfb)');
    try {
      const demo = await startDemo(screen.display);
      expect(demo.output()).toContain('Chromium is open');
      expectLabRunning(demo);
      const profile = path.join(demo.varDir, 'demo/chromium-profile');
      expect(processesUsing(profile)).toContain('chromium');
      // Ctrl-C: the terminal signals the demo, Chromium and every other process of the group.
      process.kill(-demo.process.pid!, 'SIGINT');
      expect(await demo.exited).toBe(0);
      await expectCleanedUp(demo);
      expect(processesUsing(profile)).toBe('');
    } finally {
      screen.stop();
    }
  }, 150_000);
});
