/**
 * Enterprise files (installers/enterprise): the managed settings match the extension's
 * managed_schema.json, the checked-in examples in installers/policies are what the generator
 * writes, a deployment file is checked, and each browser's policy names the extension and its
 * download places.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { chromiumPolicyJson, chromiumPolicyReg } from '../../../installers/enterprise/chromiumPolicy.ts';
import {
  DeploymentSchema,
  EXAMPLE_DEPLOYMENT,
  ManagedSettingsSchema,
} from '../../../installers/enterprise/deployment.ts';
import { firefoxPolicies } from '../../../installers/enterprise/firefoxPolicy.ts';
import { chromeUpdateXml, firefoxUpdatesJson } from '../../../installers/enterprise/updateManifests.ts';
import { enterpriseFiles } from '../../../installers/enterprise/writePolicies.ts';
import { EXTENSION_IDS } from '../../../shared/protocol/version.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const deployment = {
  downloadBase: 'https://it.example.test/cb/',
  version: '1.2.3',
  settings: {
    allowedOrigins: ['https://a.example.test'],
    portalAddress: 'https://p.example.test',
    developmentMode: false,
  },
};

describe('enterprise policy files', () => {
  it('sets exactly the keys the extension declares in managed_schema.json, with the same types', () => {
    const schema = JSON.parse(
      readFileSync(path.join(root, 'extension/public/managed_schema.json'), 'utf8'),
    ) as {
      properties: Record<string, { type: string }>;
    };
    const ours = ManagedSettingsSchema.properties as Record<string, { type: string }>;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(schema.properties).sort());
    for (const [key, { type }] of Object.entries(schema.properties)) expect(ours[key]?.type, key).toBe(type);
  });

  it('keeps installers/policies equal to what the generator writes for the example', () => {
    for (const [name, text] of Object.entries(enterpriseFiles(EXAMPLE_DEPLOYMENT))) {
      expect(readFileSync(path.join(root, 'installers/policies', name), 'utf8'), name).toBe(text);
    }
  });

  it('refuses a deployment with an http address or an unknown key', () => {
    expect(Value.Check(DeploymentSchema, deployment)).toBe(true);
    expect(Value.Check(DeploymentSchema, { ...deployment, downloadBase: 'http://it.example.test' })).toBe(
      false,
    );
    expect(
      Value.Check(DeploymentSchema, { ...deployment, settings: { ...deployment.settings, extra: 1 } }),
    ).toBe(false);
  });

  it('force-installs from the self-hosted update manifest in Chrome and Edge, with the managed settings', () => {
    const policy = chromiumPolicyJson(deployment);
    expect(policy.ExtensionInstallForcelist).toEqual([
      `${EXTENSION_IDS.chromium};https://it.example.test/cb/update.xml`,
    ]);
    expect(policy.ExtensionSettings).toEqual({
      [EXTENSION_IDS.chromium]: {
        installation_mode: 'force_installed',
        update_url: 'https://it.example.test/cb/update.xml',
        toolbar_pin: 'force_pinned',
      },
    });
    expect(policy['3rdparty']).toEqual({ extensions: { [EXTENSION_IDS.chromium]: deployment.settings } });
    const reg = chromiumPolicyReg(deployment);
    for (const vendor of ['Google\\Chrome', 'Microsoft\\Edge']) {
      expect(reg).toContain(
        `[HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\${vendor}\\ExtensionInstallForcelist]\r\n"1"="${EXTENSION_IDS.chromium};https://it.example.test/cb/update.xml"`,
      );
      expect(reg).toContain(
        `\\${vendor}\\3rdparty\\extensions\\${EXTENSION_IDS.chromium}\\policy\\allowedOrigins]\r\n"1"="https://a.example.test"`,
      );
    }
  });

  it('installs the .xpi in Firefox and sets its 3rdparty storage', () => {
    expect(firefoxPolicies(deployment)).toEqual({
      policies: {
        ExtensionSettings: {
          [EXTENSION_IDS.firefox]: {
            installation_mode: 'force_installed',
            install_url: 'https://it.example.test/cb/cardbridge-firefox-1.2.3.xpi',
          },
        },
        '3rdparty': { Extensions: { [EXTENSION_IDS.firefox]: deployment.settings } },
      },
    });
  });

  it('writes update manifests naming this version and its package', () => {
    expect(chromeUpdateXml(deployment)).toContain(
      `<app appid='${EXTENSION_IDS.chromium}'>\n    <updatecheck codebase="https://it.example.test/cb/cardbridge-chrome-1.2.3.crx" version="1.2.3" />`,
    );
    expect(firefoxUpdatesJson(deployment, 'ab12')).toEqual({
      addons: {
        [EXTENSION_IDS.firefox]: {
          updates: [
            {
              version: '1.2.3',
              update_link: 'https://it.example.test/cb/cardbridge-firefox-1.2.3.xpi',
              update_hash: 'sha256:ab12',
            },
          ],
        },
      },
    });
  });
});
