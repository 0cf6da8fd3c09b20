/**
 * Options of `cardbridge-host install | uninstall | status`. Anything unknown is a usage error
 * (exit 2), never ignored: IT scripts must learn at once that a flag did not do what they meant.
 */
import { isSea } from 'node:sea';
import path from 'node:path';
import {
  BROWSERS,
  parseBrowserList,
  parseScope,
  type BrowserId,
  type Scope,
} from '../../../installers/registration/index.ts';
import type { Locale } from '../i18n/messages.ts';

export interface RegistrationOptions {
  browsers: BrowserId[];
  scope: Scope;
  json: boolean;
  locale?: Locale;
  /** The binary browsers will start: this one when it is the built host. */
  hostPath?: string;
  /** A prefix for the system folders (a package's staging root, a test's temp folder). */
  root?: string;
}

/** A usage error: `detail` names the offending argument. */
export class UsageError extends Error {
  constructor(
    readonly kind: 'badOption' | 'notInstalledBinary',
    readonly detail = '',
  ) {
    super(`${kind} ${detail}`);
  }
}

/** The language asked for, read first so that even an error about another option is in it. */
export function requestedLocale(args: readonly string[]): Locale | undefined {
  const at = args.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const value = at < 0 ? undefined : args[at]!.includes('=') ? args[at]!.slice(7) : args[at + 1];
  return value === 'zh-TW' || value === 'en' ? value : undefined;
}

/** Parses the words after the command; browser and scope errors come as RegistrationError. */
export function parseRegistrationOptions(args: readonly string[], runningSea = isSea()): RegistrationOptions {
  const options: RegistrationOptions = { browsers: [...BROWSERS], scope: 'user', json: false };
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const [flag, inline] = word.startsWith('--') && word.includes('=') ? word.split(/=(.*)/s, 2) : [word];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError('badOption', flag);
      return v;
    };
    switch (flag) {
      case '--browser':
        options.browsers = parseBrowserList(value());
        break;
      case '--scope':
        options.scope = parseScope(value());
        break;
      case '--json':
        options.json = true;
        break;
      case '--lang': {
        const lang = value();
        if (lang !== 'zh-TW' && lang !== 'en') throw new UsageError('badOption', `--lang ${lang}`);
        options.locale = lang;
        break;
      }
      case '--host-path':
        options.hostPath = path.resolve(value());
        break;
      case '--root':
        options.root = path.resolve(value());
        break;
      default:
        throw new UsageError('badOption', word);
    }
  }
  // Under tsx or plain node, execPath is Node itself: registering it would start Node, not the host.
  if (options.hostPath === undefined) {
    if (!runningSea) throw new UsageError('notInstalledBinary');
    options.hostPath = process.execPath;
  }
  return options;
}
