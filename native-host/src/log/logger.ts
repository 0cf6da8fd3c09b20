/**
 * A small rotating file logger. Writes are synchronous appends (the host logs little), so nothing is
 * lost when a browser kills the host. Messages are redacted; callers never pass PINs or card data.
 */
import { appendFileSync, mkdirSync, renameSync, statSync, rmSync } from 'node:fs';
import path from 'node:path';
import { redact } from './redact.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(area: string, message: string): void;
  info(area: string, message: string): void;
  warn(area: string, message: string): void;
  error(area: string, message: string): void;
}

export interface FileLoggerOptions {
  dir: string;
  level?: LogLevel;
  /** Also write to stderr (never stdout: that carries protocol frames). */
  stderr?: boolean;
  maxBytes?: number;
  keep?: number;
  fileName?: string;
}

export class FileLogger implements Logger {
  readonly file: string;
  private readonly minLevel: number;
  private readonly maxBytes: number;
  private readonly keep: number;
  private size = -1;
  private broken = false;

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

  private write(level: LogLevel, area: string, message: string): void {
    if (LOG_LEVELS.indexOf(level) < this.minLevel) return;
    const line = `${new Date().toISOString()} ${process.pid} ${level.toUpperCase()} [${area}] ${redact(message)}\n`;
    if (this.options.stderr) process.stderr.write(line);
    if (this.broken) return;
    try {
      if (this.size < 0) {
        mkdirSync(this.options.dir, { recursive: true });
        this.size = fileSize(this.file);
      }
      const bytes = Buffer.byteLength(line);
      // Rotate before a line that would overflow the file; a file that is still empty takes it anyway.
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFileSync(this.file, line, { mode: 0o600 });
      this.size += bytes;
    } catch {
      // A read-only or full disk must not stop the host from serving; give up on the file.
      this.broken = true;
    }
  }

  private rotate(): void {
    rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      try {
        renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(this.file, `${this.file}.1`);
    this.size = 0;
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
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
