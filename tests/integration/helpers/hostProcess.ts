/** Drives the built host binary over real native messaging frames, as a browser would. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FrameDecoder, type DecodedFrame } from '../../../native-host/src/messaging/frameDecoder.ts';
import { encodeFrame } from '../../../native-host/src/messaging/frameEncoder.ts';
import { recordArtefact } from '../../../lab/artefacts.ts';
import { HOST_BIN, hostCommand } from './hostVariant.ts';

export { HOST_BIN };

export interface HostMessage {
  id?: string | null;
  result?: unknown;
  error?: { code: string; message: string; details?: Record<string, unknown> };
  event?: string;
  data?: unknown;
}

export class HostProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly logDir: string;
  readonly messages: HostMessage[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Bytes on stdout that were not part of a well-formed frame (must stay 0). */
  strayBytes = 0;
  private readonly decoder = new FrameDecoder(16 * 1024 * 1024);
  private waiters: Array<{ match: (m: HostMessage) => boolean; resolve: (m: HostMessage) => void }> = [];
  private nextId = 1;

  constructor(options: { env?: Record<string, string>; args?: string[]; bin?: string } = {}) {
    const command = options.bin ? { file: options.bin, prefix: [], env: {} } : hostCommand();
    const bin = command.file;
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` first`);
    this.logDir = mkdtempSync(path.join(tmpdir(), 'cardbridge-hostlog-'));
    recordArtefact(this.logDir); // searched for the test PINs after the run
    const args = [...command.prefix, ...(options.args ?? ['chrome-extension://testextensionid/'])];
    this.child = spawn(bin, args, {
      env: {
        ...process.env,
        CARDBRIDGE_LOG_DIR: this.logDir,
        CARDBRIDGE_LOG_LEVEL: 'debug',
        ...command.env,
        ...options.env,
      },
      stdio: 'pipe',
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    this.child.stdout.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(chunk)) this.onFrame(frame);
    });
  }

  get logFile(): string {
    return path.join(this.logDir, 'host.log');
  }

  /** The host's log once it holds `text`: the host writes a line just after the reply it records. */
  async logWith(text: string, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const log = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
      if (log.includes(text)) return log;
      if (Date.now() > deadline) throw new Error(`the host log has no line with ${JSON.stringify(text)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private onFrame(frame: DecodedFrame): void {
    if (frame.kind !== 'message' || typeof frame.value !== 'object' || frame.value === null) {
      this.strayBytes++;
      return;
    }
    const message = frame.value as HostMessage;
    this.messages.push(message);
    const index = this.waiters.findIndex((w) => w.match(message));
    if (index >= 0) this.waiters.splice(index, 1)[0]!.resolve(message);
  }

  /** Resolves with the first message (already received or future) matching `match`. */
  waitFor(match: (m: HostMessage) => boolean, timeoutMs = 10_000, label = 'message'): Promise<HostMessage> {
    const seen = this.messages.find(match);
    if (seen) return Promise.resolve(seen);
    return this.waitForNext(match, timeoutMs, label);
  }

  /** Resolves with the next future message matching `match`. */
  waitForNext(
    match: (m: HostMessage) => boolean,
    timeoutMs = 10_000,
    label = 'message',
  ): Promise<HostMessage> {
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (m: HostMessage) => (clearTimeout(timer), resolve(m)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out waiting for ${label}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  sendRaw(bytes: Buffer): void {
    this.child.stdin.write(bytes);
  }

  send(message: unknown): void {
    this.sendRaw(encodeFrame(message, 64 * 1024 * 1024));
  }

  async request(command: string, args?: Record<string, unknown>, timeoutMs = 15_000): Promise<HostMessage> {
    const id = `req-${this.nextId++}`;
    // A fresh id cannot have been answered yet: no scan of every message received so far (the bench
    // sends thousands of requests to one host, and that scan was timed as the host's).
    const reply = this.waitForNext((m) => m.id === id, timeoutMs, `reply to ${command}`);
    this.send(args === undefined ? { id, command } : { id, command, arguments: args });
    return reply;
  }

  /** The next readers-changed event satisfying `match`. */
  nextReadersChanged(
    match: (data: ReadersChangedData) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<ReadersChangedData> {
    return this.waitForNext(
      (m) => m.event === 'readers-changed' && match(m.data as ReadersChangedData),
      timeoutMs,
      'readers-changed event',
    ).then((m) => m.data as ReadersChangedData);
  }

  /**
   * Waits until `status` shows exactly these cards (ATRs in hex): pcscd and the host's reader
   * monitor see a card some time after the lab inserted it.
   */
  async untilCardsSeen(atrs: string[], timeoutMs = 5000): Promise<void> {
    const expected = JSON.stringify([...atrs].sort());
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await this.request('status')).result as { readers: Array<{ atr?: string }> };
      const seen = status.readers.flatMap((r) => (r.atr ? [r.atr] : [])).sort();
      if (JSON.stringify(seen) === expected) return;
      if (Date.now() > deadline)
        throw new Error(`host saw cards ${seen.join(',')}, expected ${atrs.join(',')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async close(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    const result = await this.exited;
    clearTimeout(timer);
    return result;
  }
}

export interface ReadersChangedData {
  pcsc: { available: boolean; error?: string };
  readers: Array<{ name: string; cardPresent: boolean; atr?: string; card?: { type: string } }>;
}
