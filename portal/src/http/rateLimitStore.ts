/**
 * A store for @fastify/rate-limit kept in the database (table rate_limits, migration 0007): every
 * portal process on one database counts a client's attempts together, so the limits hold behind a
 * load balancer. Each hit is one atomic upsert (SQLite and PostgreSQL alike): a new window starts when
 * the old one has ended, otherwise the count goes up. Fixed windows, like the plugin's own store.
 */
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { sql, type Kysely } from 'kysely';
import { prepareQuery, type Placeholder } from '../db/preparedQuery.ts';
import type { Database } from '../db/schema.ts';

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

/** Ended windows are deleted after this many hits of one process (they are harmless meanwhile). */
const SWEEP_EVERY = 500;

/** The longest key kept; a longer one (a very long route) is cut, still unique per route and client. */
const KEY_MAX = 300;

/** Every rate-limited request makes one: compiled once (../db/preparedQuery.ts). */
const countHit = prepareQuery((db, p: Placeholder<{ key: string; at: number; ends: number }>) =>
  db
    .insertInto('rate_limits')
    .values({ key: p('key'), hits: 1, window_ends: p('ends') })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql<number>`case when rate_limits.window_ends <= ${p('at')} then 1 else rate_limits.hits + 1 end`,
        window_ends: sql<number>`case when rate_limits.window_ends <= ${p('at')} then ${p('ends')} else rate_limits.window_ends end`,
      }),
    )
    .returning(['hits', 'window_ends']),
);

export function databaseRateLimitStore(db: Kysely<Database>, now: () => number): FastifyRateLimitStoreCtor {
  let hitsSinceSweep = 0;

  async function hit(key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
    const at = now();
    const row = await countHit.first(db, { key, at, ends: at + windowMs });
    if (!row) throw new Error('rate limit: the upsert returned no row');
    if (++hitsSinceSweep >= SWEEP_EVERY) {
      hitsSinceSweep = 0;
      await db.deleteFrom('rate_limits').where('window_ends', '<=', at).execute();
    }
    return { current: Number(row.hits), ttl: Math.max(0, Number(row.window_ends) - at) };
  }

  async function peek(key: string): Promise<{ current: number; ttl: number }> {
    const at = now();
    const row = await db
      .selectFrom('rate_limits')
      .select(['hits', 'window_ends'])
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row || Number(row.window_ends) <= at) return { current: 0, ttl: 0 };
    return { current: Number(row.hits), ttl: Number(row.window_ends) - at };
  }

  class DatabaseStore implements FastifyRateLimitStore {
    private readonly prefix: string;

    /** The plugin constructs the root store with its options; children get their route's prefix. */
    constructor(prefix?: unknown) {
      this.prefix = typeof prefix === 'string' ? prefix : '';
    }

    private key(client: string): string {
      return `${this.prefix}${client}`.slice(0, KEY_MAX);
    }

    incr(client: string, callback: Callback, timeWindow: number): void {
      hit(this.key(client), timeWindow).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    /** The plugin's `increment: false` reads without counting. */
    read(client: string, callback: Callback): void {
      peek(this.key(client)).then(
        (result) => callback(null, result),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    }

    /**
     * One counter per route, as the plugin's own stores keep them. The plugin passes the route's
     * merged options with `routeInfo` (its type declaration says only the route options).
     */
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new DatabaseStore(`${this.prefix}${String(route?.method)}${String(route?.url)}-`);
    }
  }
  return DatabaseStore;
}
