/** cardbridge-host: native messaging host for the CardBridge extension, and `doctor` for IT. */
import { runDoctor } from './doctor/runDoctor.ts';
import { detectLocale, t } from './i18n/messages.ts';
import { FileLogger, parseLogLevel } from './log/logger.ts';
import { defaultLogDir } from './log/stateDir.ts';
import { serve } from './serve.ts';
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
  const logger = new FileLogger({
    dir: defaultLogDir(),
    level: parseLogLevel(process.env.CARDBRIDGE_LOG_LEVEL),
    stderr: process.env.CARDBRIDGE_LOG_STDERR === '1',
  });

  if (args[0] === '--version' || args[0] === '-v') {
    process.stdout.write(`${HOST_VERSION}\n`);
    return;
  }
  if (args[0] === 'doctor') {
    runDoctor(args.slice(1), logger).then(
      (status) => process.exit(status),
      (error: unknown) => {
        logger.error('doctor', String(error));
        process.stderr.write(`${String(error)}\n`);
        process.exit(3);
      },
    );
    return;
  }
  if (startedByBrowser(args)) {
    serve(logger, args);
    return;
  }
  process.stderr.write(`${t(detectLocale(), 'cli.usage')}\n`);
  process.exitCode = args[0] === '--help' || args[0] === 'help' ? 0 : 2;
}

main();
