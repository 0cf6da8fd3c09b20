/**
 * Registers a route of the shared API table (shared/portal/api.ts) on fastify: its method, path and
 * schemas come from the table entry, so the request the handler gets and the reply it must give are
 * typed from the same definition the pages use.
 */
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { PortalRoute, RouteBody, RouteReply } from '../../../shared/portal/api.ts';
import { PortalErrorReply } from '../../../shared/portal/errors.ts';

/** The error responses every route may give, for OpenAPI. */
export function withErrors<T extends Record<number, TSchema>>(ok: T) {
  return { ...ok, '4xx': PortalErrorReply, '5xx': PortalErrorReply };
}

type Params<R extends PortalRoute> = R extends { params: infer S extends TSchema } ? Static<S> : unknown;
type Query<R extends PortalRoute> = R extends { query: infer S extends TSchema } ? Static<S> : unknown;
interface RouteTypes<R extends PortalRoute> {
  Body: RouteBody<R>;
  Params: Params<R>;
  Querystring: Query<R>;
}

export type RouteRequest<R extends PortalRoute> = FastifyRequest<RouteTypes<R>>;
/** A JSON route returns its reply; a file route (`download`) sends with `reply.send(buffer)`. */
type HandlerResult<R extends PortalRoute> = R extends { download: object } ? FastifyReply : RouteReply<R>;
export type RouteHandler<R extends PortalRoute> = (
  request: RouteRequest<R>,
  reply: FastifyReply,
) => HandlerResult<R> | Promise<HandlerResult<R>>;

/** The 200 of a file route for OpenAPI: its media types, binary. Buffers are sent as they are, never serialised. */
function fileReply(download: NonNullable<PortalRoute['download']>) {
  const types = [download.contentType, ...(download.alternatives ?? [])];
  return {
    description: `A file (${types.join(', ')})`,
    content: Object.fromEntries(
      types.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  } as unknown as TSchema;
}

export function addRoute<R extends PortalRoute>(
  app: FastifyInstance,
  route: R,
  handler: RouteHandler<R>,
  config?: RouteShorthandOptions['config'],
): void {
  app.route<RouteTypes<R>>({
    method: route.method,
    url: route.path,
    ...(config ? { config } : {}),
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    schema: {
      summary: route.summary,
      tags: [...route.tags],
      ...(route.session ? { security: [{ bearer: [] }] } : {}),
      ...(route.body ? { body: route.body } : {}),
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { querystring: route.query } : {}),
      // A file route sends bytes (reply.type(download.contentType)); only its refusals are JSON.
      response: route.download
        ? withErrors({ 200: fileReply(route.download) })
        : withErrors({ 200: route.reply }),
    },
    handler: (request, reply) => handler(request, reply),
  });
}
