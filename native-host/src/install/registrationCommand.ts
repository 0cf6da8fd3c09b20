/**
 * `cardbridge-host install | uninstall | status`: registers this binary with the browsers through
 * installers/registration, and says per browser what was done or found, in one language (text) or
 * as JSON. Exit 0 when done (status: every browser registered), 1 when not, 2 for a usage error.
 */
import {
  currentHostOs,
  findSandboxedBrowsers,
  hostStatus,
  installHost,
  isRegistrationError,
  registrationContext,
  registrationEnvFrom,
  REGISTRATION_ERROR_MESSAGES,
  resolveTargets,
  uninstallHost,
  type RegistrationErrorCode,
  type RegistrationTarget,
} from '../../../installers/registration/index.ts';
import { detectLocale, t, type Locale, type MessageKey } from '../i18n/messages.ts';
import type { RegistrationCommand } from './registrationCommands.ts';
import { parseRegistrationOptions, requestedLocale, UsageError } from './registrationOptions.ts';

interface Line {
  browser: string;
  outcome: string;
  ok: boolean;
  manifestPath?: string;
  registryKey?: string;
  hostPath?: string;
}

const where = (target: RegistrationTarget) => ({
  manifestPath: target.manifestPath,
  ...(target.registryKey ? { registryKey: target.registryKey } : {}),
});

function render(
  lines: Line[],
  extra: Array<{ browser: string; outcome: string; where?: string }>,
  title: MessageKey,
  summary: MessageKey,
  locale: Locale,
): string {
  const text = [t(locale, title)];
  for (const line of lines) {
    const place = line.registryKey ? `${line.registryKey} → ${line.manifestPath}` : line.manifestPath;
    text.push(
      `${line.ok ? '✔' : '!'} ${line.browser}: ${t(locale, `registration.${line.outcome}` as MessageKey)}`,
    );
    if (place) text.push(`    ${place}`);
    if (line.hostPath) text.push(`    → ${line.hostPath}`);
  }
  for (const item of extra) {
    text.push(`! ${item.browser}: ${t(locale, `registration.${item.outcome}` as MessageKey)}`);
    if (item.where) text.push(`    ${item.where}`);
  }
  if (title === 'registration.title.user' || title === 'registration.title.system') {
    text.push('', t(locale, summary));
  }
  return text.join('\n');
}

function errorText(code: RegistrationErrorCode, detail: string, locale: Locale, json: boolean): string {
  return json
    ? JSON.stringify({ error: { code, message: REGISTRATION_ERROR_MESSAGES[code], detail } }, null, 2)
    : `${code}: ${REGISTRATION_ERROR_MESSAGES[code][locale]}\n    ${detail}`;
}

/** An uninstall that went well says so; it must not say that every browser is registered. */
function summaryKey(command: RegistrationCommand, ok: boolean): MessageKey {
  if (!ok) return 'registration.summary.notAll';
  return command === 'uninstall' ? 'registration.summary.removed' : 'registration.summary.ok';
}

export function runRegistrationCommand(command: RegistrationCommand, args: readonly string[]): number {
  let locale = requestedLocale(args) ?? detectLocale();
  let json = false;
  try {
    const options = parseRegistrationOptions(args);
    locale = options.locale ?? locale;
    json = options.json;
    const os = currentHostOs();
    const env = { ...registrationEnvFrom(), ...(options.root ? { systemRoot: options.root } : {}) };
    const { targets, unsupported } = resolveTargets(os, options.scope, options.browsers, env);
    const ctx = registrationContext(os);
    const hostPath = options.hostPath!;

    let lines: Line[];
    if (command === 'install') {
      lines = installHost(targets, { hostPath }, ctx).map((r) => ({
        browser: r.target.browser,
        outcome: r.outcome,
        ok: r.outcome !== 'kept',
        ...where(r.target),
      }));
    } else if (command === 'uninstall') {
      lines = uninstallHost(targets, ctx).map((r) => ({
        browser: r.target.browser,
        outcome: r.outcome,
        ok: true,
        ...where(r.target),
      }));
    } else {
      lines = hostStatus(targets, ctx, hostPath).map((s) => ({
        browser: s.target.browser,
        outcome: s.state,
        ok: s.state === 'registered',
        ...where(s.target),
        ...(s.manifestPath ? { manifestPath: s.manifestPath } : {}),
        ...(s.hostPath ? { hostPath: s.hostPath } : {}),
      }));
    }
    const sandboxed = findSandboxedBrowsers(os, env).filter((s) => options.browsers.includes(s.browser));
    const extra = [
      ...unsupported.map((u) => ({ browser: u.browser, outcome: 'unsupported' })),
      ...sandboxed.map((s) => ({
        browser: `${s.browser} (${s.packaging})`,
        outcome: 'sandboxed',
        where: s.where,
      })),
    ];
    // Status is only "all well" when nothing at all needs a look; install and uninstall succeed when done.
    const ok = command === 'status' ? lines.every((l) => l.ok) && extra.length === 0 : true;
    process.stdout.write(
      `${
        json
          ? JSON.stringify(
              { command, scope: options.scope, hostPath, ok, browsers: lines, unsupported, sandboxed },
              null,
              2,
            )
          : render(lines, extra, `registration.title.${options.scope}`, summaryKey(command, ok), locale)
      }\n`,
    );
    return ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      const message =
        error.kind === 'badOption'
          ? `${t(locale, 'cli.badOption')} ${error.detail}`
          : t(locale, 'cli.notInstalledBinary');
      process.stderr.write(`${message}\n${t(locale, 'cli.usage')}\n`);
      return 2;
    }
    if (isRegistrationError(error)) {
      process.stderr.write(`${errorText(error.code, error.detail, locale, json)}\n`);
      const usage =
        error.code === 'ERR_REGISTRATION_UNKNOWN_BROWSER' || error.code === 'ERR_REGISTRATION_UNKNOWN_SCOPE';
      return usage ? 2 : 1;
    }
    throw error;
  }
}
