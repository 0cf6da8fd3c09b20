/**
 * A stand-in for the portal's health route on 127.0.0.1, with a clock set off by a chosen number of
 * seconds, for the self-check's clock comparison. CORS as the portal answers the extension.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ClockServer {
  origin: string;
  close(): Promise<void>;
}

export async function startClockServer(offsetSeconds = 0): Promise<ClockServer> {
  const server = http.createServer((request, response) => {
    const time = new Date(Date.now() + offsetSeconds * 1000);
    response.setHeader('access-control-allow-origin', request.headers.origin ?? '*');
    response.setHeader('access-control-expose-headers', 'Date');
    if (request.url !== '/api/health') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ok: true, version: 'clock-server', time: time.toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
