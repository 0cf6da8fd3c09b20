/**
 * A private wine prefix for running the Windows host and installer here (Debian's wine64): made
 * with wineboot, set to Windows 10 (Node refuses wine's default, Windows 7), removed on close.
 * Programs' output goes to a file, because node.exe under wine cannot write to a Linux pipe
 * (EBADF), only to files and to the Windows pipes a Windows parent (a browser) gives it.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseDefaultValue } from '../installers/registration/windowsRegistry.ts';

/** Debian's wine64 puts its loader here (the `wine` package adds /usr/bin wrappers). */
export const WINE = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'].find(existsSync);
const WINESERVER = ['/usr/lib/wine/wineserver64', '/usr/lib/wine/wineserver', '/usr/bin/wineserver'].find(
  existsSync,
);
/** Why wine tests and bench rows are skipped, or undefined when wine is there. */
export const WINE_MISSING = WINE && WINESERVER ? undefined : 'wine is not installed (apt install wine64)';

const TIMEOUT = 240_000;

/** How wine's loader and server are started: Debian's own here, or through a launcher (wineLab.ts). */
export interface WineRuntime {
  wine: string[];
  wineserver: string[];
}

/** A Linux path as wine's Z: drive shows it. */
export const winPath = (linuxPath: string) => `Z:${linuxPath.replace(/\//g, '\\')}`;

export interface WineRun {
  status: number | null;
  output: string;
}

export class WinePrefix {
  readonly dir: string;
  readonly prefix: string;

  private readonly runtime: WineRuntime;

  private constructor(runtime: WineRuntime) {
    this.runtime = runtime;
    this.dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-wine-'));
    this.prefix = path.join(this.dir, 'prefix');
  }

  static create(runtime?: WineRuntime): WinePrefix {
    if (!runtime && WINE_MISSING) throw new Error(WINE_MISSING);
    const wine = new WinePrefix(runtime ?? { wine: [WINE!], wineserver: [WINESERVER!] });
    wine.must(['wineboot', '-i']);
    wine.waitIdle();
    wine.must(['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f']);
    return wine;
  }

  private get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      WINEPREFIX: this.prefix,
      WINEDEBUG: '-all',
      WINEDLLOVERRIDES: 'mscoree,mshtml=',
    };
  }

  /** Runs a Windows program (a Linux path or a built-in like `reg`); stdout and stderr together. */
  run(args: string[], env: Record<string, string> = {}): WineRun {
    return this.withOutput((stdio) => {
      const [loader, ...before] = this.runtime.wine;
      return spawnSync(loader!, [...before, ...args], {
        stdio,
        env: { ...this.env, ...env },
        timeout: TIMEOUT,
      }).status;
    });
  }

  /**
   * As run, without blocking the event loop: a virtual card of the lab answers from this process,
   * so a program that reads it must not be waited for synchronously.
   */
  async runAsync(args: string[], env: Record<string, string> = {}): Promise<WineRun> {
    const [loader, ...before] = this.runtime.wine;
    return this.withOutputAsync(
      (stdio) =>
        new Promise<number | null>((resolve, reject) => {
          const child = spawn(loader!, [...before, ...args], {
            stdio,
            env: { ...this.env, ...env },
            timeout: TIMEOUT,
          });
          child.once('error', reject);
          child.once('exit', (code) => resolve(code));
        }),
    );
  }

  /** The program's output goes to a file (see above), read back once it has ended. */
  private withOutput(start: (stdio: ['ignore', number, number]) => number | null): WineRun {
    const outFile = path.join(this.dir, 'output.txt');
    const fd = openSync(outFile, 'w');
    try {
      const status = start(['ignore', fd, fd]);
      return { status, output: readFileSync(outFile, 'utf8') };
    } finally {
      closeSync(fd);
    }
  }

  private async withOutputAsync(
    start: (stdio: ['ignore', number, number]) => Promise<number | null>,
  ): Promise<WineRun> {
    const outFile = path.join(this.dir, 'output.txt');
    const fd = openSync(outFile, 'w');
    try {
      const status = await start(['ignore', fd, fd]);
      return { status, output: readFileSync(outFile, 'utf8') };
    } finally {
      closeSync(fd);
    }
  }

  private must(args: string[]): void {
    const run = this.run(args);
    if (run.status !== 0) throw new Error(`wine ${args.join(' ')}: exit ${run.status}\n${run.output}`);
  }

  /** Waits until every program in the prefix has ended (an NSIS uninstaller re-launches itself). */
  waitIdle(): void {
    const [server, ...before] = this.runtime.wineserver;
    execFileSync(server!, [...before, '-w'], { env: this.env, timeout: TIMEOUT });
  }

  /** A C:\ path of the prefix as a Linux path. */
  driveC(windowsPath: string): string {
    return path.join(this.prefix, 'drive_c', ...windowsPath.replace(/^C:\\/, '').split('\\'));
  }

  /** The default value of a key, or a named value; undefined when absent. */
  regQuery(key: string, value?: string): string | undefined {
    const run = this.run(['reg', 'query', key, ...(value ? ['/v', value] : ['/ve'])]);
    if (run.status !== 0) return undefined;
    if (!value) return parseDefaultValue(run.output);
    return new RegExp(`^\\s+${value}\\s{2,}REG_\\w+\\s{2,}(.*?)\\s*$`, 'm').exec(run.output)?.[1];
  }

  close(): void {
    const [server, ...before] = this.runtime.wineserver;
    spawnSync(server!, [...before, '-k'], { env: this.env });
    rmSync(this.dir, { recursive: true, force: true });
  }
}
