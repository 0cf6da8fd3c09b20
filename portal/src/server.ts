/**
 * buildServer(): the portal's fastify instance with everything injected (configuration, database,
 * clock, trust store, mailer), so tests run it against any database, time and mail delivery.
 */
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import type { Kysely } from 'kysely';
import type { TrustStore } from '../../shared/node/pki/trustStore.ts';
import { PortalError, portalErrorBody } from '../../shared/portal/errors.ts';
import packageJson from '../../package.json' with { type: 'json' };
import type { PortalConfig } from './config.ts';
import { isCorsOriginAllowed } from '../../shared/protocol/origin.ts';
import type { Database } from './db/schema.ts';
import type { Mailer } from './mail/mailer.ts';
import { createMailDispatcher } from './mail/mailQueue.ts';
import { startSlipScheduler, type SlipScheduler } from './jobs/slipScheduler.ts';
import { refuseControlCharacters } from './http/controlCharacters.ts';
import { databaseRateLimitStore } from './http/rateLimitStore.ts';
import { drainRequest, portalClientErrorHandler } from './http/oversized.ts';
import { registerSecurityHeaders } from './http/securityHeaders.ts';
import { wasAudited, writeAudit } from './services/audit.ts';
import type { PortalContext } from './services/context.ts';
import { batchRoutes } from './routes/batches.ts';
import { clerkRoutes } from './routes/clerks.ts';
import { filingRoutes } from './routes/filings.ts';
import { createFilingScheduler } from './jobs/filingProcessor.ts';
import { toPortalError } from './routes/errors.ts';
import { healthRoutes } from './routes/health.ts';
import { homeRoutes } from './routes/home.ts';
import { nhiCardRoutes } from './routes/nhiCards.ts';
import { nonceRoutes } from './routes/nonces.ts';
import { outboxRoutes } from './routes/outbox.ts';
import { queryRoutes } from './routes/queries.ts';
import { registrationRoutes } from './routes/registrations.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { deskRoutes } from './desk/routes.ts';
import { createDeskFormsJob } from './jobs/deskForms.ts';
import { slipRoutes } from './routes/slips.ts';

export interface ServerDeps {
  config: PortalConfig;
  db: Kysely<Database>;
  dbKind: 'sqlite' | 'postgres';
  mailer: Mailer;
  trust?: TrustStore;
  clock?: () => Date;
  /** fastify's logger option (default off). */
  logger?: FastifyServerOptions['logger'];
  https?: { cert: Buffer; key: Buffer };
}

/** Readable from any origin: the health route's version and clock. */
export function isPublicRoute(method: string, url: string): boolean {
  return method === 'GET' && url.split('?')[0] === '/api/health';
}

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const options: FastifyServerOptions & { https?: { cert: Buffer; key: Buffer } } = {
    logger: deps.logger ?? false,
    bodyLimit: 64 * 1024,
    // A path parameter of any length reaches its schema and gets the portal's refusal (fastify's
    // own 414 for more than 100 characters is neither in the portal's format nor audited); Node's
    // header limit (431) bounds the URL.
    routerOptions: { maxParamLength: 16 * 1024 },
    // The router's own refusals (a malformed path, a path parameter over that) answered as all others.
    frameworkErrors: (error, request, reply) => void answerRefusal(error, request, reply),
    clientErrorHandler: portalClientErrorHandler,
    // Unions (certificate | NHI card proofs) must not be mangled by removeAdditional while ajv tries
    // each branch; unknown properties are refused by the schemas' additionalProperties: false.
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false, discriminator: true },
    },
  };
  if (deps.https) options.https = deps.https;
  // Behind load balancers: request.ip (rate limits, audit) is the client X-Forwarded-For names.
  if (config.trustProxy) options.trustProxy = config.trustProxy;
  const app = Fastify(options) as unknown as FastifyInstance;

  const clock = deps.clock ?? (() => new Date());
  const warn = (message: string, error?: unknown) => app.log.warn({ err: error }, message);
  const mail = createMailDispatcher({
    db: deps.db,
    dbKind: deps.dbKind,
    mailer: deps.mailer,
    clock,
    leaseMs: config.mailRetryMs,
    warn,
  });
  const ctx: PortalContext = {
    config,
    db: deps.db,
    dbKind: deps.dbKind,
    clock,
    trust: deps.trust,
    mailer: deps.mailer,
    deliverMail: () => mail.deliverPending(),
    warn,
  };
  // Mails left by a crash or a failed send are picked up again; the loop ends with the server.
  app.addHook('onReady', (done) => {
    mail.start(Math.min(config.mailRetryMs, 5_000));
    done();
  });
  app.addHook('onClose', () => mail.stop());
  // The desk's job loop (PORTAL_DESK_JOB_MS; off by default: a submitted form still starts a pass).
  const deskJob = createDeskFormsJob(ctx);
  app.addHook('onReady', (done) => {
    if (config.desk.jobMs > 0) deskJob.start(config.desk.jobMs);
    done();
  });
  app.addHook('onClose', () => deskJob.stop());
  // The 20th's slip mailing, when configured (PORTAL_SLIP_SCHEDULER_MS).
  let slips: SlipScheduler | undefined;
  app.addHook('onReady', (done) => {
    if (config.slipSchedulerMs > 0) {
      slips = startSlipScheduler(
        { db: deps.db, dbKind: deps.dbKind, mailer: deps.mailer, clock, warn },
        config.slipSchedulerMs,
      );
    }
    done();
  });
  app.addHook('onClose', async () => {
    await slips?.stop();
  });
  // Received filings are processed in the background (PORTAL_FILING_PROCESS_MS; 0 in tests).
  const filingScheduler = createFilingScheduler(ctx, config.filingProcessMs);
  app.addHook('onReady', (done) => {
    filingScheduler.start();
    done();
  });
  app.addHook('onClose', () => filingScheduler.stop());

  // Set first, so that the plugins' own routes (CORS preflight) answer with portal errors too.
  app.setErrorHandler(answerRefusal);
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(portalErrorBody('ERR_PORTAL_NOT_FOUND')));

  /** Every refusal, in the portal's format (shared/portal/errors.ts) and audited. */
  async function answerRefusal(error: unknown, request: FastifyRequest, reply: FastifyReply) {
    const portalError = toPortalError(error);
    if (portalError.code === 'ERR_PORTAL_INTERNAL') request.log.error({ err: error }, 'internal error');
    // Every refusal leaves an audit row: those of the services are written by audited() and
    // requireSession(); the rest (limits, origins, malformed or oversized input) here.
    if (!wasAudited(error)) {
      try {
        await writeAudit(ctx, {
          event: 'request-refused',
          outcome: 'refused',
          errorCode: portalError.code,
          clientIp: request.ip,
          detail: `${request.method} ${request.url.slice(0, 200)}${portalError.detail ? ` ${portalError.detail}` : ''}`,
        });
      } catch (auditError) {
        request.log.error({ err: auditError }, 'audit failed');
      }
    }
    if (portalError.code === 'ERR_PORTAL_BODY_TOO_LARGE' && !(await drainRequest(request.raw))) {
      reply.header('connection', 'close');
    }
    return reply.code(portalError.statusCode).send(portalErrorBody(portalError.code, portalError.field));
  }

  // First, so that refusals of the hooks below carry the headers too.
  registerSecurityHeaders(app, isPublicRoute);

  // Requests from a browser page that is neither an allowed extension nor the portal itself. The
  // health route (version and clock, nothing else) is public: any extension's self-check may read it.
  const allowed = [...config.corsOrigins, config.origin];
  app.addHook('onRequest', (request, _reply, done) => {
    const origin = request.headers.origin;
    if (
      origin !== undefined &&
      !isCorsOriginAllowed(origin, allowed) &&
      !isPublicRoute(request.method, request.url)
    ) {
      done(new PortalError('ERR_PORTAL_ORIGIN_NOT_ALLOWED', { detail: `origin ${origin}` }));
      return;
    }
    done();
  });
  refuseControlCharacters(app);
  await app.register(cors, {
    origin: (origin, callback) =>
      callback(null, origin !== undefined && isCorsOriginAllowed(origin, config.corsOrigins)),
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['Content-Type', 'Authorization'],
    exposedHeaders: ['Date'],
    credentials: false,
    maxAge: 600,
  });
  await app.register(rateLimit, {
    global: false,
    // On PostgreSQL counted in the database, so several portal processes on one database share the
    // limits; a SQLite portal is one process by design, and counts in memory (no write per request).
    ...(deps.dbKind === 'postgres'
      ? { store: databaseRateLimitStore(deps.db, () => clock().getTime()) }
      : {}),
    errorResponseBuilder: () => new PortalError('ERR_PORTAL_RATE_LIMITED'),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'CardBridge reference portal',
        description: 'Stands for an NHI e-service portal (portal/API.md). TEST data only.',
        version: packageJson.version,
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });

  healthRoutes(app, ctx);
  nonceRoutes(app, ctx);
  nhiCardRoutes(app, ctx);
  registrationRoutes(app, ctx);
  sessionRoutes(app, ctx);
  clerkRoutes(app, ctx);
  homeRoutes(app, ctx);
  queryRoutes(app, ctx);
  deskRoutes(app, ctx, deskJob);
  slipRoutes(app, ctx);
  filingRoutes(app, ctx);
  batchRoutes(app, ctx);
  const list = deps.mailer.list?.bind(deps.mailer);
  // Contact addresses and names without a session: only where the demo turns it on explicitly.
  if (list && config.devOutbox) outboxRoutes(app, list);

  await app.ready();
  return app;
}
