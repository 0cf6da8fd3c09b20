/** Host settings from the environment (IT can set them in the browser's environment or a wrapper). */
import { parseLogLevel, type LogLevel } from './log/logger.ts';
import { defaultLogDir } from './log/stateDir.ts';

export interface HostConfig {
  logDir: string;
  logLevel: LogLevel;
  logToStderr: boolean;
  /** How long one APDU may take before the operation fails with ERR_TIMEOUT (slow readers need more). */
  apduTimeoutMs: number;
}

export function readHostConfig(env: NodeJS.ProcessEnv = process.env): HostConfig {
  const timeout = Number(env.CARDBRIDGE_APDU_TIMEOUT_MS);
  return {
    logDir: defaultLogDir(env),
    logLevel: parseLogLevel(env.CARDBRIDGE_LOG_LEVEL),
    logToStderr: env.CARDBRIDGE_LOG_STDERR === '1',
    apduTimeoutMs: Number.isFinite(timeout) && timeout >= 100 ? timeout : 10_000,
  };
}
