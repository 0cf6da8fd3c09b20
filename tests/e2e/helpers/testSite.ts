/** A test web page on 127.0.0.1 that carries the page library, as a portal would. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
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

/** A throw-away certificate for `hostname` (browsers under test are told to accept it). */
function selfSignedCertificate(hostname: string): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
        '-subj',
        `/CN=${hostname}`,
        '-addext',
        `subjectAltName=DNS:${hostname}`,
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The test site on 127.0.0.1. With `httpsHostname`, it serves https under that name (the browser
 * maps the name to 127.0.0.1), e.g. eservice.nhi.gov.tw to test the default allow-list.
 */
export async function startTestSite(options: { httpsHostname?: string } = {}): Promise<TestSite> {
  const library = await pageLibrary();
  const html = `<!doctype html><meta charset="utf-8"><title>CardBridge test portal</title>
<h1>TEST portal</h1><script src="/page-api.js"></script>`;
  const handler: http.RequestListener = (req, res) => {
    if (req.url === '/page-api.js') {
      res.setHeader('content-type', 'text/javascript; charset=utf-8');
      res.end(library);
    } else {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(html);
    }
  };
  const server = options.httpsHostname
    ? https.createServer(selfSignedCertificate(options.httpsHostname), handler)
    : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: options.httpsHostname ? `https://${options.httpsHostname}:${port}/` : `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
