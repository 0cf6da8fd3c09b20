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

/**
 * NHI's own portal (多憑證網路承保作業, eservice.nhi.gov.tw; source: NHI's FAQ at
 * eservice.nhi.gov.tw/nhiweb1/system/smc/new/download/newfaq.htm). IT may set another by policy;
 * `npm start`'s demo and the tests set their own reference portal in the options.
 */
export const DEFAULT_PORTAL_ADDRESS = 'https://eservice.nhi.gov.tw';
