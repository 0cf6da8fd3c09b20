/** `cardbridge-host doctor [--json] [--lang zh-TW|en]`: the status for people, with fixes. */
import type { HostConfig } from '../config.ts';
import { createHostServices } from '../hostServices.ts';
import { detectLocale, type Locale } from '../i18n/messages.ts';
import type { Logger } from '../log/logger.ts';
import { diagnose } from './diagnose.ts';
import { renderJson, renderText } from './render.ts';

export async function runDoctor(args: string[], logger: Logger, config: HostConfig): Promise<number> {
  const json = args.includes('--json');
  const langIndex = args.indexOf('--lang');
  const requested = langIndex >= 0 ? args[langIndex + 1] : undefined;
  const locale: Locale = requested === 'en' || requested === 'zh-TW' ? requested : detectLocale();

  const services = createHostServices(logger, config);
  services.monitor.start();
  try {
    const status = await services.status();
    const report = diagnose(status);
    process.stdout.write(`${json ? renderJson(status, report) : renderText(status, report, locale)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    await services.stop();
  }
}
