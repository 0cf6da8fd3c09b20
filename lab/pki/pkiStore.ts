/**
 * Keeps the demo's test PKI between runs of `npm start` (var/demo/pki.json), so registrations in the
 * demo database stay valid. A PKI older than 25 days is made anew, before its CRLs (30 days) expire.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createTestPki, type TestPki } from './testPki.ts';

const MAX_AGE_MS = 25 * 86_400_000;

const encode = (_key: string, value: unknown): unknown =>
  value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer'
    ? { $b64: Buffer.from((value as { data: number[] }).data).toString('base64') }
    : value;
const decode = (_key: string, value: unknown): unknown =>
  value && typeof value === 'object' && typeof (value as { $b64?: unknown }).$b64 === 'string'
    ? Buffer.from((value as { $b64: string }).$b64, 'base64')
    : value;

export async function loadOrCreatePki(file: string): Promise<{ pki: TestPki; fresh: boolean }> {
  if (existsSync(file)) {
    try {
      const saved = JSON.parse(readFileSync(file, 'utf8'), decode) as { createdAt: number; pki: TestPki };
      if (Date.now() - saved.createdAt < MAX_AGE_MS) return { pki: saved.pki, fresh: false };
    } catch {
      // unreadable: make a new one
    }
  }
  const pki = await createTestPki();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ createdAt: Date.now(), pki }, encode), { mode: 0o600 });
  return { pki, fresh: true };
}

/** Writes the PKI's trust material (DER files) into `dir`, the layout PORTAL_TRUST_DIR reads. */
export function writeTrustDir(pki: TestPki, dir: string): void {
  mkdirSync(dir, { recursive: true });
  pki.trust.anchors.forEach((der, i) => writeFileSync(path.join(dir, `anchor-${i}.cer`), der));
  pki.trust.intermediates.forEach((der, i) => writeFileSync(path.join(dir, `intermediate-${i}.cer`), der));
  pki.trust.crls.forEach((der, i) => writeFileSync(path.join(dir, `revocation-${i}.crl`), der));
}
