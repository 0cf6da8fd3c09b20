/** cardbridge-host: native messaging host for the CardBridge extension, and `doctor` for IT. */
import { detectLocale, t } from './i18n/messages.ts';
import { readHostConfig } from './config.ts';
import { isRegistrationCommand } from './install/registrationCommands.ts';
import { FileLogger } from './log/logger.ts';
import { serve } from './serve.ts';
import { WORKER_FLAG } from './tokens/pkcs11/workerProtocol.ts';
import { HOST_VERSION } from './version.ts';

/** Browsers start the host with the caller: Chromium an origin (plus a window handle on Windows), Firefox a manifest path and an add-on id. */
function startedByBrowser(args: string[]): boolean {
  const first = args[0];
  return (
    first === undefined ||
    first.startsWith('chrome-extension://') ||
    first.startsWith('--parent-window') ||
    first.toLowerCase().endsWith('.json')
  );
}

function main(): void {
  const args = process.argv.slice(2);
  if (args[0] === WORKER_FLAG && args[1]) {
    // A PKCS#11 worker child (see tokens/pkcs11/worker.ts): loaded only here, so a normal start
    // does not load the PKCS#11 binding at all.
    void import('./tokens/pkcs11/worker.ts').then((m) => m.runPkcs11Worker(args[1]!));
    return;
  }
  const config = readHostConfig();
  const logger = new FileLogger({
    dir: config.logDir,
    level: config.logLevel,
    stderr: config.logToStderr,
    // Serving a browser, a reply goes out before the line that records it (see FileLogger).
    deferWrites: startedByBrowser(args),
  });

  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`${HOST_VERSION}\n`);
    return;
  }
  if (args[0] === 'doctor') {
    // The CLI's commands are loaded only when asked for: a browser's start must not pay for them.
    import('./doctor/runDoctor.ts')
      .then(({ runDoctor }) => runDoctor(args.slice(1), logger, config))
      .then(
        (status) => process.exit(status),
        (error: unknown) => {
          logger.error('doctor', String(error));
          process.stderr.write(`${String(error)}\n`);
          process.exit(3);
        },
      );
    return;
  }
  if (isRegistrationCommand(args[0])) {
    const command = args[0];
    void import('./install/registrationCommand.ts').then(({ runRegistrationCommand }) => {
      process.exitCode = runRegistrationCommand(command, args.slice(1));
    });
    return;
  }
  if (startedByBrowser(args)) {
    serve(logger, config, args);
    return;
  }
  process.stderr.write(`${t(detectLocale(), 'cli.usage')}\n`);
  process.exitCode = args[0] === '--help' || args[0] === 'help' ? 0 : 2;
}

main();
