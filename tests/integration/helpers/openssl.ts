/** Independent checks with the OpenSSL command line (a different implementation from ours). */
import { execFileSync, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = mkdtempSync(path.join(tmpdir(), 'cardbridge-openssl-'));
let counter = 0;

export function tempFile(name: string, data: Uint8Array | string): string {
  const file = path.join(dir, `${counter++}-${name}`);
  writeFileSync(file, data);
  return file;
}

export function pem(der: Uint8Array): string {
  return new X509Certificate(der).toString();
}

export function publicKeyPem(certificateDer: Uint8Array): string {
  return new X509Certificate(certificateDer).publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Runs openssl; returns its exit status and output (does not throw on failure). */
export function openssl(args: string[]): { status: number | null; output: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

export function opensslVersion(): string {
  return execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
}

/** `openssl dgst -verify`: does `signature` verify over `data` with the certificate's public key? */
export function opensslDgstVerify(
  certificateDer: Uint8Array,
  hash: 'sha256' | 'sha384' | 'sha512',
  signature: Uint8Array,
  data: Uint8Array,
): { status: number | null; output: string } {
  return openssl([
    'dgst',
    `-${hash}`,
    '-verify',
    tempFile('pub.pem', publicKeyPem(certificateDer)),
    '-signature',
    tempFile('sig.bin', signature),
    tempFile('data.bin', data),
  ]);
}

/** `openssl cms -verify` of a detached CMS over `document`, against the CA certificates in `chainFile`. */
export function opensslCmsVerify(
  cms: Uint8Array,
  document: Uint8Array,
  chainFile: string,
): { status: number | null; output: string } {
  return openssl([
    'cms',
    '-verify',
    '-inform',
    'DER',
    '-in',
    tempFile('sig.der', cms),
    '-content',
    tempFile('doc.bin', document),
    '-binary',
    '-CAfile',
    chainFile,
    '-purpose',
    'any',
    '-out',
    '/dev/null',
  ]);
}
