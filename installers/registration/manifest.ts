/**
 * The host manifest each browser family reads: Chromium-family browsers name the extension's
 * origin (`allowed_origins`, trailing slash), Firefox its add-on id (`allowed_extensions`). The
 * extension ids come from shared/protocol/version.ts, the one place that fixes them.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { EXTENSION_IDS, NATIVE_HOST_NAME } from '../../shared/protocol/version.ts';
import type { BrowserFamily } from './browsers.ts';

/** The description of an installed host; the demo and the tests pass their own to tell theirs apart. */
export const HOST_DESCRIPTION = 'CardBridge (卡橋) smart-card host';

const common = {
  name: Type.Literal(NATIVE_HOST_NAME),
  description: Type.String(),
  path: Type.String({ minLength: 1 }),
  type: Type.Literal('stdio'),
};
export const ChromiumHostManifestSchema = Type.Object({
  ...common,
  allowed_origins: Type.Array(Type.String()),
});
export const FirefoxHostManifestSchema = Type.Object({
  ...common,
  allowed_extensions: Type.Array(Type.String()),
});
export type HostManifest =
  Static<typeof ChromiumHostManifestSchema> | Static<typeof FirefoxHostManifestSchema>;

export const CHROMIUM_EXTENSION_ORIGIN = `chrome-extension://${EXTENSION_IDS.chromium}/`;

export function buildHostManifest(
  family: BrowserFamily,
  hostPath: string,
  description: string,
): HostManifest {
  const base = { name: NATIVE_HOST_NAME, description, path: hostPath, type: 'stdio' } as const;
  return family === 'chromium'
    ? { ...base, allowed_origins: [CHROMIUM_EXTENSION_ORIGIN] }
    : { ...base, allowed_extensions: [EXTENSION_IDS.firefox] };
}

/** The file's text: stable, so writing the same registration twice leaves the file as it was. */
export function manifestText(manifest: HostManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * A manifest found on disk, if it is one this family's browser would accept for our extension;
 * undefined for anything else (malformed JSON, another family's keys, another extension).
 */
export function parseHostManifest(family: BrowserFamily, text: string): HostManifest | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (family === 'chromium') {
    return Value.Check(ChromiumHostManifestSchema, value) &&
      value.allowed_origins.includes(CHROMIUM_EXTENSION_ORIGIN)
      ? value
      : undefined;
  }
  return Value.Check(FirefoxHostManifestSchema, value) &&
    value.allowed_extensions.includes(EXTENSION_IDS.firefox)
    ? value
    : undefined;
}
