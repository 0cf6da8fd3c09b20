/** A test web page on 127.0.0.1 that carries the page library, as a portal would. */
import http from 'node:http';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '../../..');

async function pageLibrary(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'extension/page-api/index.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'CardBridgePage',
    write: false,
    target: 'es2022',
  });
  return result.outputFiles[0]!.text;
}

export interface TestSite {
  url: string;
  close(): Promise<void>;
}

export async function startTestSite(): Promise<TestSite> {
  const library = await pageLibrary();
  const html = `<!doctype html><meta charset="utf-8"><title>CardBridge test portal</title>
<h1>TEST portal</h1><script src="/page-api.js"></script>`;
  const server = http.createServer((req, res) => {
    if (req.url === '/page-api.js') {
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.end(library);
    } else {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(html);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
