/**
 * The portal's configuration, read from the environment once. Every bad value is reported with the
 * variable's name and what is expected; all problems are collected and thrown together.
 */
import { isIP } from 'node:net';
import { isValidCorsEntry, isValidPortalOrigin } from '../../shared/protocol/origin.ts';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';

export interface PortalConfig {
  port: number;
  host: string;
  /** The origin login tokens and NHI challenges are bound to. */
  origin: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  mail: { kind: 'smtp'; url: string } | { kind: 'outbox'; dir: string };
  mailFrom: string;
  /** How long a mail send may take before another sender tries it again (PORTAL_MAIL_RETRY_MS). */
  mailRetryMs: number;
  /** How often the filing processor looks for received submissions (PORTAL_FILING_PROCESS_MS; 0: off). */
  filingProcessMs: number;
  /** PORTAL_DEV_OUTBOX=1: serve /dev/outbox and /api/dev/outbox (the file outbox's mails, no session). */
  devOutbox: boolean;
  corsOrigins: string[];
  maxClerks: number;
  sessionTtlMs: number;
  nonceTtlMs: number;
  /** Undefined: NHI card proofs are refused (ERR_PORTAL_NHI_UNAVAILABLE). */
  samMasterKey?: Buffer;
  trustDir?: string;
  tls?: { certFile: string; keyFile: string };
  unitCodePattern: RegExp;
  rateLimit: { max: number; windowMs: number };
  /** The e-service desk (portal/src/desk/settings.ts). */
  desk: {
    rateLimitMax: number;
    rateLimitWindowMs: number;
    fileKeepDays: number;
    lockoutTries: number;
    /** How often the desk's job loop runs (generation, file purge, captchas); 0: off. */
    jobMs: number;
  };
  /** PORTAL_SLIP_SCHEDULER_MS: how often the slip mailing looks at the date; 0 = off (jobs/slipScheduler.ts). */
  slipSchedulerMs: number;
  /**
   * PORTAL_TRUST_PROXY: the load balancers (addresses or CIDR ranges) whose X-Forwarded-For names the
   * client; rate limits and the audit then see the client's address instead of the balancer's.
   */
  trustProxy?: string[];
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Portal configuration is not valid:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export const DEFAULT_CORS_ORIGIN = `chrome-extension://${EXTENSION_IDS.chromium}`;

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env): PortalConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = text(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return Number(value);
  };

  const port = integer('PORTAL_PORT', 8780, 0, 65535);
  const host = text('PORTAL_HOST') ?? '127.0.0.1';

  const origin = text('PORTAL_ORIGIN') ?? 'http://127.0.0.1:8780';
  const originOk: boolean = isValidPortalOrigin(origin);
  if (!originOk) {
    problems.push(
      `PORTAL_ORIGIN must be an origin like https://portal.example.tw (no path, no trailing slash; http only for localhost) (got "${origin}")`,
    );
  }

  const databaseUrl = text('DATABASE_URL');
  let database: PortalConfig['database'];
  if (databaseUrl && /^postgres(ql)?:\/\//i.test(databaseUrl)) {
    try {
      new URL(databaseUrl);
    } catch {
      problems.push('DATABASE_URL is not a valid postgres:// URL');
    }
    database = { kind: 'postgres', url: databaseUrl };
  } else if (databaseUrl && /^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl)) {
    problems.push(
      `DATABASE_URL must be postgres://… or a SQLite file path (got a ${databaseUrl.split(':')[0]} URL)`,
    );
    database = { kind: 'sqlite', file: 'var/portal.sqlite' };
  } else {
    database = { kind: 'sqlite', file: databaseUrl?.replace(/^sqlite:/i, '') ?? 'var/portal.sqlite' };
  }

  const smtpUrl = text('SMTP_URL');
  let mail: PortalConfig['mail'] = { kind: 'outbox', dir: text('PORTAL_OUTBOX_DIR') ?? 'var/outbox' };
  if (smtpUrl) {
    if (!/^smtps?:\/\/[^/]+/i.test(smtpUrl)) problems.push(`SMTP_URL must be smtp://host:port or smtps://…`);
    else mail = { kind: 'smtp', url: smtpUrl };
  }

  const mailFrom = text('PORTAL_MAIL_FROM') ?? 'CardBridge Portal TEST <portal@example.test>';
  if (!/^[^\s@<>]+@[^\s@<>]+$|<[^\s@<>]+@[^\s@<>]+>$/.test(mailFrom)) {
    problems.push(`PORTAL_MAIL_FROM must be an address or "Name <address>" (got "${mailFrom}")`);
  }

  const mailRetryMs = integer('PORTAL_MAIL_RETRY_MS', 60_000, 100, 86_400_000);
  const filingProcessMs = integer('PORTAL_FILING_PROCESS_MS', 15_000, 0, 86_400_000);

  const devOutboxText = text('PORTAL_DEV_OUTBOX') ?? '0';
  if (devOutboxText !== '0' && devOutboxText !== '1')
    problems.push(`PORTAL_DEV_OUTBOX must be 1 (serve the outbox pages) or 0 (got "${devOutboxText}")`);
  const devOutbox = devOutboxText === '1';

  const corsOrigins = (text('PORTAL_CORS_ORIGINS') ?? DEFAULT_CORS_ORIGIN)
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const o of corsOrigins) {
    if (!isValidCorsEntry(o))
      problems.push(`PORTAL_CORS_ORIGINS: "${o}" is not an origin (scheme://host[:port], no path)`);
  }

  const maxClerks = integer('PORTAL_MAX_CLERKS', 5, 1, 1000);
  const sessionTtlMs = integer('PORTAL_SESSION_TTL_MIN', 30, 1, 24 * 60) * 60_000;
  const nonceTtlMs = 5 * 60_000;

  let samMasterKey: Buffer | undefined;
  const keyHex = text('PORTAL_NHI_SAM_MASTER_KEY');
  if (keyHex !== undefined) {
    if (!/^([0-9a-f]{2}){16,64}$/i.test(keyHex)) {
      problems.push('PORTAL_NHI_SAM_MASTER_KEY must be 16 to 64 bytes in hex (32 to 128 hex digits)');
    } else samMasterKey = Buffer.from(keyHex, 'hex');
  }

  const trustDir = text('PORTAL_TRUST_DIR');
  const certFile = text('PORTAL_TLS_CERT');
  const keyFile = text('PORTAL_TLS_KEY');
  let tls: PortalConfig['tls'];
  if ((certFile === undefined) !== (keyFile === undefined)) {
    problems.push('PORTAL_TLS_CERT and PORTAL_TLS_KEY must be set together');
  } else if (certFile && keyFile) tls = { certFile, keyFile };

  let unitCodePattern = /^\d{9}$/;
  const patternText = text('PORTAL_UNIT_CODE_PATTERN');
  if (patternText !== undefined) {
    try {
      unitCodePattern = new RegExp(`^(?:${patternText.replace(/^\^|\$$/g, '')})$`);
    } catch {
      problems.push(`PORTAL_UNIT_CODE_PATTERN is not a valid regular expression (got "${patternText}")`);
    }
  }

  const rateLimit = {
    max: integer('PORTAL_RATE_LIMIT_MAX', 30, 1, 1_000_000),
    windowMs: integer('PORTAL_RATE_LIMIT_WINDOW_MS', 60_000, 100, 86_400_000),
  };

  const desk = {
    rateLimitMax: integer('PORTAL_DESK_RATE_LIMIT_MAX', 10, 1, 1_000_000),
    rateLimitWindowMs: integer('PORTAL_DESK_RATE_LIMIT_WINDOW_MS', 60_000, 100, 86_400_000),
    fileKeepDays: integer('PORTAL_DESK_FILE_KEEP_DAYS', 7, 1, 365),
    lockoutTries: integer('PORTAL_DESK_LOCKOUT_TRIES', 5, 1, 100),
    jobMs: integer('PORTAL_DESK_JOB_MS', 0, 0, 86_400_000),
  };
  const slipSchedulerMs = integer('PORTAL_SLIP_SCHEDULER_MS', 0, 0, 86_400_000);
  const trustProxy = (text('PORTAL_TRUST_PROXY') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of trustProxy) {
    if (!isAddressOrRange(entry))
      problems.push(`PORTAL_TRUST_PROXY: "${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8)`);
  }

  if (problems.length > 0) throw new ConfigError(problems);
  const config: PortalConfig = {
    port,
    host,
    origin,
    database,
    mail,
    mailFrom,
    mailRetryMs,
    filingProcessMs,
    devOutbox,
    corsOrigins,
    maxClerks,
    sessionTtlMs,
    nonceTtlMs,
    unitCodePattern,
    rateLimit,
    desk,
    slipSchedulerMs,
  };
  if (samMasterKey) config.samMasterKey = samMasterKey;
  if (trustDir) config.trustDir = trustDir;
  if (tls) config.tls = tls;
  if (trustProxy.length > 0) config.trustProxy = trustProxy;
  return config;
}

/** 192.0.2.1, 10.0.0.0/8, 2001:db8::1 or 2001:db8::/32. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}
