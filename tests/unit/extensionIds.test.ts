/** The ids the host manifests will name must be the ones the browsers give the extension. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import packageJson from '../../package.json' with { type: 'json' };
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';

/** Chromium's rule: SHA-256 of the public key (DER), first 32 hex digits mapped 0-f → a-p. */
function chromiumId(keyBase64: string): string {
  const hex = createHash('sha256').update(Buffer.from(keyBase64, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join('');
}

describe('extension ids', () => {
  it('derives the Chromium id from the manifest key', () => {
    expect(chromiumId(manifest.key)).toBe(EXTENSION_IDS.chromium);
  });
  it('uses the gecko id of the manifest for Firefox', () => {
    expect(manifest.browser_specific_settings.gecko.id).toBe(EXTENSION_IDS.firefox);
  });
  it('keeps the manifest version in step with the package', () => {
    expect(manifest.version).toBe(packageJson.version);
  });
});
