/**
 * The extension's defaults for which web origins may use CardBridge and which portal the bundled pages
 * talk to. The policies themselves (which origins pass) are the shared ones in
 * shared/protocol/origin.ts, so the options page, the background and the host agree.
 */
import type { OriginSettings } from '../../shared/protocol/origin.ts';

export const DEFAULT_ORIGIN_SETTINGS: OriginSettings = {
  userOrigins: [],
  policyOrigins: [],
  developmentMode: false,
};

/** The reference portal of `npm start`; IT points clerks at the real one by policy. */
export const DEFAULT_PORTAL_ADDRESS = 'http://127.0.0.1:8780';
