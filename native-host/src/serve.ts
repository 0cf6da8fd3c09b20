/** Native messaging mode: started by a browser, frames on stdin/stdout until the browser closes stdin. */
import type { HostEvent } from '../../shared/protocol/commands.ts';
import { allCommands } from './commands/index.ts';
import type { HostConfig } from './config.ts';
import { createHostServices } from './hostServices.ts';
import type { Logger } from './log/logger.ts';
import { NativeServer } from './messaging/nativeServer.ts';

export function serve(logger: Logger, config: HostConfig, caller: string[]): void {
  // Nothing but frames may reach stdout: route stray console output to the log.
  console.log = console.info = (...args: unknown[]) => logger.info('console', args.map(String).join(' '));
  console.warn = console.error = (...args: unknown[]) => logger.warn('console', args.map(String).join(' '));

  logger.info('host', `started by ${caller.length > 0 ? caller.join(' ') : 'a terminal'}`);
  const services = createHostServices(logger, config);
  let exiting = false;

  const exit = (status: number) => {
    if (exiting) return;
    exiting = true;
    void services.stop().finally(() => {
      // Let queued frames reach the browser before the process ends.
      process.stdout.write('', () => process.exit(status));
    });
  };

  const server = new NativeServer({
    input: process.stdin,
    output: process.stdout,
    commands: allCommands(services),
    logger,
    onFatal: (reason) => {
      logger.error('host', `stopping: ${reason}`);
      exit(2);
    },
    onEnd: () => {
      logger.info('host', 'browser closed the connection');
      void server.idle().then(() => exit(0));
    },
  });

  // Events go out in the order the changes happened, each with the cards identified.
  let eventChain = Promise.resolve();
  services.monitor.on('changed', (snapshot) => {
    if (!server.eventsSubscribed) return;
    eventChain = eventChain.then(async () => {
      const event: HostEvent = {
        event: 'readers-changed',
        data: {
          pcsc: snapshot.available
            ? { available: true }
            : { available: false, error: snapshot.error ?? 'unknown' },
          readers: await services.describeReaders(snapshot, await services.tokenReaders()),
        },
      };
      server.sendEvent(event);
    });
  });

  process.on('uncaughtException', (error) => {
    logger.error('host', `uncaught: ${error.stack ?? error.message}`);
    exit(1);
  });
  process.on('SIGTERM', () => exit(0));
  // Lines still waiting to be written (a deferring logger) are written on every exit.
  process.on('exit', () => logger.flush?.());

  server.start();
  // Loading the PC/SC binding and opening its context takes a few milliseconds: let the first
  // request (the extension's `version` handshake) be read and answered first.
  setImmediate(() => services.monitor.start());
}
