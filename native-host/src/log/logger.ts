/**
 * A small rotating file logger. Writes are synchronous (the host logs little); the file stays open
 * between lines (one write per line, where an append by name cost an open and a close each time).
 * With `deferWrites` (the host serving a browser) a line waits until the current turn of the event
 * loop is over, so the reply a line records goes out before the line is made and written (only its
 * time is taken at the call); `flush()` writes what waits at once (the host calls it on exit).
 * Messages are redacted; callers never pass PINs or card data.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { redact } from './redact.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(area: string, message: string): void;
  info(area: string, message: string): void;
  warn(area: string, message: string): void;
  error(area: string, message: string): void;
  /** Writes every line still waiting (see `deferWrites`). */
  flush?(): void;
}

export interface FileLoggerOptions {
  dir: string;
  level?: LogLevel;
  /** Also write to stderr (never stdout: that carries protocol frames). */
  stderr?: boolean;
  maxBytes?: number;
  keep?: number;
  fileName?: string;
  /**
   * Write lines once the current turn of the event loop is over (setImmediate) instead of at once:
   * the write (~20–40 µs) then follows the reply it records instead of delaying it. A process
   * killed outright (SIGKILL) loses the lines of its last turn; every other exit calls `flush()`.
   */
  deferWrites?: boolean;
}

export class FileLogger implements Logger {
  readonly file: string;
  private readonly minLevel: number;
  private readonly maxBytes: number;
  private readonly keep: number;
  private size = 0;
  private fd = -1;
  private checkedAt = 0;
  private broken = false;
  /** Lines waiting for the end of the turn (deferWrites), not yet formatted: [time, level, area, message]. */
  private readonly waiting: Array<[number, LogLevel, string, string]> = [];

  constructor(private readonly options: FileLoggerOptions) {
    this.file = path.join(options.dir, options.fileName ?? 'host.log');
    this.minLevel = LOG_LEVELS.indexOf(options.level ?? 'info');
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.keep = options.keep ?? 3;
  }

  debug(area: string, message: string): void {
    this.write('debug', area, message);
  }
  info(area: string, message: string): void {
    this.write('info', area, message);
  }
  warn(area: string, message: string): void {
    this.write('warn', area, message);
  }
  error(area: string, message: string): void {
    this.write('error', area, message);
  }

  flush(): void {
    // splice first: a line logged while these are written waits for the next flush.
    for (const entry of this.waiting.splice(0)) this.writeLine(formatLine(...entry));
  }

  private write(level: LogLevel, area: string, message: string): void {
    if (LOG_LEVELS.indexOf(level) < this.minLevel) return;
    if (!this.options.deferWrites) return this.writeLine(formatLine(Date.now(), level, area, message));
    // Formatting and redaction wait too (~10 µs a line): the line keeps the time of the call.
    if (this.waiting.push([Date.now(), level, area, message]) === 1) setImmediate(this.flushWaiting);
  }

  private readonly flushWaiting = (): void => this.flush();

  private writeLine(line: string): void {
    if (this.options.stderr) process.stderr.write(line);
    if (this.broken) return;
    try {
      this.ensureOpen();
      const bytes = Buffer.byteLength(line);
      // Rotate before a line that would overflow the file; a file that is still empty takes it anyway.
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      writeSync(this.fd, line);
      this.size += bytes;
    } catch {
      // A read-only or full disk must not stop the host from serving; give up on the file.
      this.broken = true;
      this.closeFile();
    }
  }

  /** Opens the file once. Another host process (a second browser) may rotate it away: at most once
   * a second, check that the name still leads to the open file, and reopen it when it does not. */
  private ensureOpen(): void {
    if (this.fd >= 0) {
      const now = Date.now();
      if (now - this.checkedAt < RECHECK_MS) return;
      this.checkedAt = now;
      if (isOpenFile(this.fd, this.file)) return;
      this.closeFile();
    }
    mkdirSync(this.options.dir, { recursive: true });
    this.fd = openSync(this.file, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
    this.checkedAt = Date.now();
  }

  private closeFile(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch {
      // already gone
    }
    this.fd = -1;
  }

  private rotate(): void {
    this.closeFile();
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(this.file, `${this.file}.1`);
    this.ensureOpen();
  }
}

const RECHECK_MS = 1000;

function formatLine(time: number, level: LogLevel, area: string, message: string): string {
  return `${new Date(time).toISOString()} ${process.pid} ${level.toUpperCase()} [${area}] ${redact(message)}\n`;
}

function isOpenFile(fd: number, file: string): boolean {
  try {
    const open = fstatSync(fd);
    const named = statSync(file);
    return open.ino === named.ino && open.dev === named.dev;
  } catch {
    return false;
  }
}

export function parseLogLevel(value: string | undefined): LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value ?? '') ? (value as LogLevel) : 'info';
}

/** A logger that drops everything (unit tests). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
