import { describe, expect, it } from 'vitest';
import { loginBinding, loginSigningInput, webCryptoDigest } from '../../shared/authtoken/loginBinding.ts';
import { HASH_NAMES } from '../../shared/crypto/hashes.ts';
import { nodeDigest } from '../../shared/node/crypto/nodeDigest.ts';

describe('the login binding on Node crypto', () => {
  it.each(HASH_NAMES)('gives the same bytes as WebCrypto for %s', async (hash) => {
    const origin = 'https://eservice.nhi.gov.tw';
    const nonce = 'n'.repeat(44);
    expect(await loginSigningInput(origin, nonce, hash, nodeDigest)).toEqual(
      await loginSigningInput(origin, nonce, hash, webCryptoDigest),
    );
    expect(await loginBinding(origin, nonce, hash, nodeDigest)).toEqual(
      await loginBinding(origin, nonce, hash),
    );
  });
});
