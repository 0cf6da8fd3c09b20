/**
 * Oversized requests get their answer in the portal's format, readable by the client. A 413 is sent
 * only after the rest of the body has been read and dropped (up to DRAIN_LIMIT_BYTES, else the
 * connection is closed after the answer): closing a socket with unread data makes the kernel send a
 * reset, which destroys the answer on its way. Headers too large for Node's parser get a 431 here.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { portalErrorBody, PORTAL_ERROR_MESSAGES } from '../../../shared/portal/errors.ts';

/** How much of an oversized body is read and dropped so that its sender can read the 413. */
export const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/** Reads and drops the rest of a request body; false if it was longer than the limit. */
export function drainRequest(request: IncomingMessage, limit = DRAIN_LIMIT_BYTES): Promise<boolean> {
  if (request.complete || request.readableEnded || request.destroyed) return Promise.resolve(true);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (ok: boolean) => {
      request.removeListener('data', onData);
      request.removeListener('end', onEnd);
      request.removeListener('error', onError);
      request.removeListener('close', onClose);
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > limit) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = () => finish(false);
    const onClose = () => finish(request.complete);
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', onError);
    request.once('close', onClose);
    request.resume();
  });
}

/** fastify's clientErrorHandler: Node's own refusals (431, 408, 400) in the portal's error format. */
export function portalClientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code =
    error.code === 'HPE_HEADER_OVERFLOW' ? 'ERR_PORTAL_HEADERS_TOO_LARGE' : 'ERR_PORTAL_BAD_REQUEST';
  const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : PORTAL_ERROR_MESSAGES[code].status;
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[
    status
  ];
  const body = JSON.stringify(portalErrorBody(code));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason ?? 'Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.end();
}
