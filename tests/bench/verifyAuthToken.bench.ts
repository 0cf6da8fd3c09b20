/**
 * Throughput of verifyAuthToken() on one core: a valid RS256 token from the test PKI's MOICA citizen
 * leaf (two-level chain, MOICA CRL loaded and required), verified in a loop for about two seconds. The
 * same nonce every time: nonce bookkeeping (NonceStore) is outside the verifier. Not a test assertion;
 * the bench runner reports the figure (goal: ≥ 2,000 verifications per second).
 */
import { createPrivateKey, sign } from 'node:crypto';
import { loginSigningInput } from '../../shared/authtoken/loginBinding.ts';
import { verifyAuthToken } from '../../shared/node/authtoken/verifyAuthToken.ts';
import { TrustStore } from '../../shared/node/pki/trustStore.ts';
import { createTestPki } from '../../lab/pki/testPki.ts';

export interface BenchVerifyAuthTokenOptions {
  /** How long to loop (default 2,000 ms). */
  durationMs?: number;
}

export async function benchVerifyAuthToken(
  options: BenchVerifyAuthTokenOptions = {},
): Promise<{ perSecond: number; iterations: number; elapsedMs: number }> {
  const durationMs = options.durationMs ?? 2_000;
  const pki = await createTestPki();
  const trust = new TrustStore(pki.trust);
  const origin = 'https://eservice.example.tw';
  const nonce = Buffer.alloc(32, 7).toString('base64');
  const leaf = pki.leaves.citizenSign;
  const key = createPrivateKey({ key: leaf.privateKey, format: 'der', type: 'pkcs8' });
  const token = {
    format: 'web-eid:1.0',
    unverifiedCertificate: leaf.certificate.toString('base64'),
    algorithm: 'RS256',
    signature: sign('sha256', await loginSigningInput(origin, nonce, 'SHA-256'), key).toString('base64'),
    appVersion: 'https://cardbridge.example.tw/releases/0.1.0',
  };
  // Warm-up: the first call builds and caches the chain.
  for (let i = 0; i < 50; i++) await verifyAuthToken(token, { origin, nonce, trust });
  let iterations = 0;
  const start = performance.now();
  let elapsedMs = 0;
  do {
    for (let i = 0; i < 100; i++) await verifyAuthToken(token, { origin, nonce, trust });
    iterations += 100;
    elapsedMs = performance.now() - start;
  } while (elapsedMs < durationMs);
  return { perSecond: Math.round((iterations * 1000) / elapsedMs), iterations, elapsedMs };
}
