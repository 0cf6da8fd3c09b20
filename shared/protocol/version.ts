/** Native messaging protocol version spoken by this build (see ARCHITECTURE, protocol v1). */
export const PROTOCOL_VERSION = 1;
/** Host name registered with the browsers. */
export const NATIVE_HOST_NAME = 'tw.cardbridge.host';
/** Both directions are capped at 1 MiB (Chrome's host-to-browser limit). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/**
 * Fixed extension ids that host manifests name: Chromium's comes from the `key` in manifest.json
 * (tests/unit/extensionIds.test.ts checks it), Firefox's is the gecko id there.
 */
export const EXTENSION_IDS = {
  chromium: 'jhnhjpjfldflmfeaagoaifccobiocdil',
  firefox: 'cardbridge@cardbridge.tw',
} as const;
