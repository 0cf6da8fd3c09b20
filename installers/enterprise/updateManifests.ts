/**
 * Self-hosted update manifests, for organisations that serve the extension themselves: Chrome's
 * update.xml (the gupdate protocol) naming the .crx, Firefox's updates.json naming the .xpi.
 */
import { CHROMIUM_ID, FIREFOX_ID, chromeCrxUrl, firefoxXpiUrl, type Deployment } from './deployment.ts';

const xmlAttr = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function chromeUpdateXml(d: Deployment): string {
  return `<?xml version='1.0' encoding='UTF-8'?>
<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>
  <app appid='${CHROMIUM_ID}'>
    <updatecheck codebase="${xmlAttr(chromeCrxUrl(d))}" version="${xmlAttr(d.version)}" />
  </app>
</gupdate>
`;
}

export function firefoxUpdatesJson(d: Deployment, xpiSha256?: string): Record<string, unknown> {
  return {
    addons: {
      [FIREFOX_ID]: {
        updates: [
          {
            version: d.version,
            update_link: firefoxXpiUrl(d),
            ...(xpiSha256 ? { update_hash: `sha256:${xpiSha256}` } : {}),
          },
        ],
      },
    },
  };
}
