/**
 * Host settings: a JSON config file (IT's, system-wide, then the user's) and environment variables
 * on top. A config file that cannot be read or does not match the schema is reported and ignored,
 * never fatal.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Errors } from '@sinclair/typebox/errors';
import { LOG_LEVELS, parseLogLevel, type LogLevel } from './log/logger.ts';
import { defaultLogDir } from './log/stateDir.ts';
import { pkcs11Modules, pkcs12Files } from './tokens/pkcs11/moduleList.ts';

export const ConfigFileSchema = Type.Object(
  {
    pkcs11Modules: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 32 }),
    ),
    pkcs12Files: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 1024 }), { maxItems: 32 })),
    /** Origins allowed besides https ones, for development (e.g. http://127.0.0.1:8443). */
    developmentOrigins: Type.Optional(Type.Array(Type.String({ maxLength: 256 }), { maxItems: 32 })),
    apduTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    logLevel: Type.Optional(
      Type.Union([Type.Literal('debug'), Type.Literal('info'), Type.Literal('warn'), Type.Literal('error')]),
    ),
  },
  { additionalProperties: false },
);
export type ConfigFile = Static<typeof ConfigFileSchema>;

const isLogLevel = (value: string | undefined): value is LogLevel =>
  (LOG_LEVELS as readonly string[]).includes(value ?? '');

export interface HostConfig {
  logDir: string;
  logLevel: LogLevel;
  logToStderr: boolean;
  /** How long one APDU may take before the operation fails with ERR_TIMEOUT (slow readers need more). */
  apduTimeoutMs: number;
  pkcs11Modules: string[];
  pkcs12Files: string[];
  developmentOrigins: string[];
  /** Config files read, and the problems found in them (for doctor and the log). */
  configFiles: Array<{ path: string; error?: string }>;
}

/** Config file locations, system-wide first: later files add to and override earlier ones. */
export function configFilePaths(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string[] {
  if (env.CARDBRIDGE_CONFIG) return [env.CARDBRIDGE_CONFIG];
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  switch (platform) {
    case 'win32':
      return [
        path.win32.join(env.PROGRAMDATA ?? 'C:\\ProgramData', 'CardBridge', 'config.json'),
        path.win32.join(
          env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'),
          'CardBridge',
          'config.json',
        ),
      ];
    case 'darwin':
      return [
        '/Library/Application Support/CardBridge/config.json',
        path.posix.join(home, 'Library', 'Application Support', 'CardBridge', 'config.json'),
      ];
    default:
      return [
        '/etc/cardbridge/config.json',
        path.posix.join(env.XDG_CONFIG_HOME ?? path.posix.join(home, '.config'), 'cardbridge', 'config.json'),
      ];
  }
}

function readConfigFiles(
  paths: string[],
  read: (file: string) => string,
): { merged: ConfigFile; files: HostConfig['configFiles'] } {
  const merged: ConfigFile = {};
  const files: HostConfig['configFiles'] = [];
  for (const file of paths) {
    let text: string;
    try {
      text = read(file);
    } catch (error) {
      // No such file: nothing configured there. Any other failure (permissions…) is reported.
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && code !== 'ENOENT' && code !== 'ENOTDIR') {
        files.push({ path: file, error: `cannot read: ${code}` });
      }
      continue;
    }
    try {
      const value: unknown = JSON.parse(text);
      // The first error, or none (TypeBox's Errors alone: its Value module costs ms at every start).
      const first = Errors(ConfigFileSchema, value).First();
      if (first) throw new Error(`${first.path || '/'}: ${first.message}`);
      const config = value as ConfigFile;
      merged.pkcs11Modules = [...(merged.pkcs11Modules ?? []), ...(config.pkcs11Modules ?? [])];
      merged.pkcs12Files = [...(merged.pkcs12Files ?? []), ...(config.pkcs12Files ?? [])];
      merged.developmentOrigins = [
        ...(merged.developmentOrigins ?? []),
        ...(config.developmentOrigins ?? []),
      ];
      if (config.apduTimeoutMs !== undefined) merged.apduTimeoutMs = config.apduTimeoutMs;
      if (config.logLevel !== undefined) merged.logLevel = config.logLevel;
      files.push({ path: file });
    } catch (error) {
      files.push({ path: file, error: (error as Error).message });
    }
  }
  return { merged, files };
}

export function readHostConfig(
  env: NodeJS.ProcessEnv = process.env,
  read: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): HostConfig {
  const { merged, files } = readConfigFiles(configFilePaths(env), read);
  const timeout = Number(env.CARDBRIDGE_APDU_TIMEOUT_MS);
  const split = (value: string | undefined) =>
    (value ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  return {
    logDir: defaultLogDir(env),
    // An empty or unknown CARDBRIDGE_LOG_LEVEL does not override a valid level from the config file.
    logLevel: parseLogLevel(
      isLogLevel(env.CARDBRIDGE_LOG_LEVEL) ? env.CARDBRIDGE_LOG_LEVEL : merged.logLevel,
    ),
    logToStderr: env.CARDBRIDGE_LOG_STDERR === '1',
    // The same range the config file's schema allows.
    apduTimeoutMs:
      Number.isInteger(timeout) && timeout >= 100 && timeout <= 600_000
        ? timeout
        : (merged.apduTimeoutMs ?? 10_000),
    pkcs11Modules: pkcs11Modules({ env: env.CARDBRIDGE_PKCS11_MODULES, config: merged.pkcs11Modules }),
    pkcs12Files: pkcs12Files(env.CARDBRIDGE_PKCS12_FILES, merged.pkcs12Files),
    developmentOrigins: [...(merged.developmentOrigins ?? []), ...split(env.CARDBRIDGE_DEV_ORIGINS)],
    configFiles: files,
  };
}
