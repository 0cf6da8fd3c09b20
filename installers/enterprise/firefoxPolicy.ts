/**
 * Firefox enterprise policy (distribution/policies.json beside Firefox, /etc/firefox/policies on
 * Linux, or the same through Mozilla's ADMX templates): install the extension and set its managed
 * storage (3rdparty.Extensions).
 */
import { FIREFOX_ID, firefoxXpiUrl, type Deployment } from './deployment.ts';

export function firefoxPolicies(d: Deployment): Record<string, unknown> {
  return {
    policies: {
      ExtensionSettings: {
        [FIREFOX_ID]: { installation_mode: 'force_installed', install_url: firefoxXpiUrl(d) },
      },
      '3rdparty': { Extensions: { [FIREFOX_ID]: d.settings } },
    },
  };
}
