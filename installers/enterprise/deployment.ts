/**
 * What IT decides for a roll-out: where the extension packages and update manifests are served
 * (self-hosted, for organisations that do not use the stores) and the extension's managed settings
 * (the keys of extension/public/managed_schema.json). Every policy file is generated from this.
 */
import { Type, type Static } from '@sinclair/typebox';
import { EXTENSION_IDS } from '../../shared/protocol/version.ts';

const HttpsUrl = Type.String({ pattern: '^https://[^\\s]+$' });

/** The extension's managed settings (extension/public/managed_schema.json; a unit test keeps them equal). */
export const ManagedSettingsSchema = Type.Object(
  {
    allowedOrigins: Type.Array(HttpsUrl),
    portalAddress: HttpsUrl,
    developmentMode: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ManagedSettings = Static<typeof ManagedSettingsSchema>;

/** A deployment file IT writes (checked with Value.Check before anything is generated). */
export const DeploymentSchema = Type.Object(
  {
    /** https folder holding update.xml, updates.json, the .crx and the .xpi. */
    downloadBase: HttpsUrl,
    version: Type.String({ pattern: '^\\d+(\\.\\d+){0,3}$' }),
    settings: ManagedSettingsSchema,
  },
  { additionalProperties: false },
);
export type Deployment = Static<typeof DeploymentSchema>;

/** The example the checked-in files in installers/policies are made from (IT replaces the addresses). */
export const EXAMPLE_DEPLOYMENT: Deployment = {
  downloadBase: 'https://it.example.gov.tw/cardbridge',
  version: '0.1.0',
  settings: {
    allowedOrigins: ['https://portal.example.gov.tw'],
    portalAddress: 'https://portal.example.gov.tw',
    developmentMode: false,
  },
};

const base = (d: Deployment) => d.downloadBase.replace(/\/+$/, '');
export const chromeUpdateUrl = (d: Deployment) => `${base(d)}/update.xml`;
export const chromeCrxUrl = (d: Deployment) => `${base(d)}/cardbridge-chrome-${d.version}.crx`;
export const firefoxUpdatesUrl = (d: Deployment) => `${base(d)}/updates.json`;
export const firefoxXpiUrl = (d: Deployment) => `${base(d)}/cardbridge-firefox-${d.version}.xpi`;

export const CHROMIUM_ID = EXTENSION_IDS.chromium;
export const FIREFOX_ID = EXTENSION_IDS.firefox;
