/** A keep-alive JSON client for the bench and soak runs (loopback only). */
import http from 'node:http';

export interface JsonAnswer {
  status: number;
  json: unknown;
}

export class JsonClient {
  private readonly agent: http.Agent;
  constructor(
    private readonly base: string,
    maxSockets = 4,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonAnswer> {
    return this.request('POST', url, body, headers);
  }

  delete(url: string, headers: Record<string, string> = {}): Promise<JsonAnswer> {
    return this.request('DELETE', url, undefined, headers);
  }

  request(
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonAnswer> {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(
        `${this.base}${url}`,
        {
          method,
          agent: this.agent,
          headers: {
            ...headers,
            ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = text;
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
