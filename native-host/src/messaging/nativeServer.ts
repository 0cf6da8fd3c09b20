/**
 * Serves native messaging on a pair of streams: decodes frames, validates requests, runs commands
 * concurrently and writes each answer as soon as it is ready. stdout carries frames only.
 */
import type { Readable, Writable } from 'node:stream';
import { Errors } from '@sinclair/typebox/errors';
import { ERROR_MESSAGES, type ErrorCode } from '../../../shared/protocol/errors.ts';
import type { HostEvent } from '../../../shared/protocol/commands.ts';
import { RequestSchema, type Response } from '../../../shared/protocol/messages.ts';
import { MAX_MESSAGE_BYTES } from '../../../shared/protocol/version.ts';
import { HostError, toErrorBody } from '../hostError.ts';
import type { Logger } from '../log/logger.ts';
import type { CommandContext, ServedCommand } from './commandTypes.ts';
import { FrameDecoder } from './frameDecoder.ts';
import { EncodedResult, encodeFrame, encodeResultFrame, FrameTooLargeError } from './frameEncoder.ts';
import { checkSchema } from './schemaCheck.ts';

export interface NativeServerOptions {
  input: Readable;
  output: Writable;
  commands: readonly ServedCommand[];
  logger: Logger;
  /** Called when the stream cannot go on (oversized frame): the host must exit non-zero. */
  onFatal(reason: string): void;
  /** Called when the browser closes stdin. */
  onEnd(): void;
}

export class NativeServer {
  private readonly decoder = new FrameDecoder();
  private readonly commands: Map<string, ServedCommand>;
  private subscribed = false;
  private closed = false;
  private inFlight = 0;
  private readonly drainWaiters: Array<() => void> = [];

  constructor(private readonly options: NativeServerOptions) {
    this.commands = new Map(options.commands.map((c) => [c.name, c]));
  }

  start(): void {
    this.options.input.on('data', (chunk: Buffer) => this.onData(chunk));
    this.options.input.on('end', () => this.options.onEnd());
    this.options.input.on('error', () => this.options.onEnd());
  }

  get eventsSubscribed(): boolean {
    return this.subscribed;
  }

  /** Sends an event frame if the browser subscribed; events never carry an id. */
  sendEvent(event: HostEvent): void {
    if (this.subscribed && !this.closed) this.write(event);
  }

  /** Resolves when every request in progress has been answered. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    for (const frame of this.decoder.push(chunk)) {
      switch (frame.kind) {
        case 'too-large':
          this.options.logger.error('messaging', `frame of ${frame.length} bytes refused; closing`);
          this.writeError(null, 'ERR_MESSAGE_TOO_LARGE', { limit: MAX_MESSAGE_BYTES });
          this.closed = true;
          this.options.onFatal('message too large');
          return;
        case 'invalid':
          this.options.logger.warn('messaging', `bad frame: ${frame.reason}`);
          this.writeError(null, 'ERR_BAD_REQUEST', { reason: frame.reason });
          break;
        case 'message':
          this.onMessage(frame.value);
          break;
      }
    }
  }

  private onMessage(message: unknown): void {
    if (!checkSchema(RequestSchema, message)) {
      // The contract answers every frame that is not a valid request with id null.
      this.options.logger.warn('messaging', 'frame is not a valid request');
      this.writeError(null, 'ERR_BAD_REQUEST', {
        reason: 'a request needs a string id and a string command',
      });
      return;
    }
    const { id, command: name } = message;
    const command = this.commands.get(name);
    if (!command) {
      this.options.logger.warn('messaging', `unknown command ${JSON.stringify(name.slice(0, 64))}`);
      this.writeError(id, 'ERR_UNKNOWN_COMMAND', { command: name });
      return;
    }
    const args = message.arguments ?? {};
    if (!checkSchema(command.args, args)) {
      const first = Errors(command.args, args).First();
      this.writeError(id, 'ERR_BAD_REQUEST', {
        reason: first ? `arguments${first.path}: ${first.message}` : 'invalid arguments',
      });
      return;
    }
    this.inFlight++;
    const context: CommandContext = { subscribeEvents: () => (this.subscribed = true) };
    const started = Date.now();
    const failed = (error: unknown): void => {
      try {
        const body = toErrorBody(error);
        const detail = error instanceof Error ? error.message : String(error);
        const level = error instanceof HostError ? 'info' : 'error';
        this.options.logger[level]('messaging', `${name} failed: ${body.code} (${detail})`);
        this.write({ id, error: body });
      } finally {
        this.answered();
      }
    };
    let running: Promise<unknown>;
    try {
      // Started at once, with no promise hop before it; one that throws synchronously is answered too.
      running = command.run(args, context);
    } catch (error) {
      failed(error);
      return;
    }
    running.then((result) => {
      try {
        this.options.logger.debug('messaging', `${name} ok in ${Date.now() - started} ms`);
        if (result instanceof EncodedResult)
          this.write({ id, result: null }, () => encodeResultFrame(id, result));
        else this.write({ id, result: result ?? null });
      } catch (error) {
        // A result that cannot be written as JSON (a bug in a command) still gets its answer.
        this.options.logger.error('messaging', `${name} result not sent: ${String(error)}`);
        this.writeError(id, 'ERR_INTERNAL');
      } finally {
        this.answered();
      }
    }, failed);
  }

  private answered(): void {
    this.inFlight--;
    if (this.inFlight === 0) this.drainWaiters.splice(0).forEach((w) => w());
  }

  private writeError(id: string | null, code: ErrorCode, details?: Record<string, unknown>): void {
    const response: Response = { id, error: { code, message: ERROR_MESSAGES[code].en } };
    if (details) response.error.details = details;
    this.write(response);
  }

  /** `encode` gives the message's frame when it is already partly encoded (an EncodedResult). */
  private write(message: Response | HostEvent, encode = () => encodeFrame(message)): void {
    let frame: Buffer;
    try {
      frame = encode();
    } catch (error) {
      if (!(error instanceof FrameTooLargeError) || !('id' in message)) throw error;
      // A response must never exceed Chrome's 1 MiB limit: send an error in its place.
      this.options.logger.error('messaging', `response of ${error.length} bytes dropped`);
      frame = encodeFrame({
        id: message.id,
        error: { code: 'ERR_INTERNAL', message: ERROR_MESSAGES.ERR_INTERNAL.en },
      });
    }
    this.options.output.write(frame);
  }
}
