/** Registers the built host for a test browser profile: the manifest file browsers look for. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NATIVE_HOST_NAME } from '../../../shared/protocol/version.ts';
import { HOST_BIN } from '../../integration/helpers/hostProcess.ts';

export function writeHostManifest(
  dir: string,
  allowed: { allowed_origins: string[] } | { allowed_extensions: string[] },
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, `${NATIVE_HOST_NAME}.json`),
    JSON.stringify({
      name: NATIVE_HOST_NAME,
      description: 'CardBridge host (test profile)',
      path: HOST_BIN,
      type: 'stdio',
      ...allowed,
    }),
  );
}
