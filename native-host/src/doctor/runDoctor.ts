/**
 * `cardbridge-host doctor [--json] [--lang zh-TW|en]`: the status for people, with fixes, and where
 * the host is registered for each browser found. An unknown option or language is a usage error
 * (exit 2), not silently ignored.
 */
import { isSea } from 'node:sea';
import {
  currentHostOs,
  registrationContext,
  registrationEnvFrom,
  surveyRegistrations,
} from '../../../installers/registration/index.ts';
import type { HostConfig } from '../config.ts';
import { createHostServices } from '../hostServices.ts';
import { detectLocale, t, type Locale } from '../i18n/messages.ts';
import type { Logger } from '../log/logger.ts';
import { diagnose } from './diagnose.ts';
import { registrationChecks } from './registrationChecks.ts';
import { renderJson, renderText } from './render.ts';

/** The options, or undefined for a usage error. */
function parseDoctorArgs(args: string[]): { json: boolean; locale?: Locale } | undefined {
  const options: { json: boolean; locale?: Locale } = { json: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--json') options.json = true;
    else if (args[i] === '--lang' && (args[i + 1] === 'zh-TW' || args[i + 1] === 'en')) {
      options.locale = args[++i] as Locale;
    } else return undefined;
  }
  return options;
}

export async function runDoctor(args: string[], logger: Logger, config: HostConfig): Promise<number> {
  const options = parseDoctorArgs(args);
  if (!options) {
    const locale = detectLocale();
    process.stderr.write(`${t(locale, 'cli.badOption')} ${args.join(' ')}\n${t(locale, 'cli.usage')}\n`);
    return 2;
  }
  const locale = options.locale ?? detectLocale();

  const services = createHostServices(logger, config);
  services.monitor.start();
  try {
    const status = await services.status();
    const report = diagnose(status);
    const os = currentHostOs();
    // Run as the built binary, a registration naming another binary is worth a warning.
    const survey = surveyRegistrations(
      os,
      registrationEnvFrom(),
      registrationContext(os),
      isSea() ? process.execPath : undefined,
    );
    report.checks.push(...registrationChecks(survey));
    process.stdout.write(
      `${options.json ? renderJson(status, report) : renderText(status, report, locale)}\n`,
    );
    return report.ok ? 0 : 1;
  } finally {
    await services.stop();
  }
}
