/**
 * Writes every enterprise file for one deployment into a folder:
 *   chromium-policy.json, chrome-edge-windows.reg, firefox-policies.json, update.xml, updates.json.
 * `tsx installers/enterprise/writePolicies.ts <dir> [deployment.json]` (default: the example,
 * which is what installers/policies holds).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { chromiumPolicyJson, chromiumPolicyReg } from './chromiumPolicy.ts';
import { DeploymentSchema, EXAMPLE_DEPLOYMENT, type Deployment } from './deployment.ts';
import { firefoxPolicies } from './firefoxPolicy.ts';
import { chromeUpdateXml, firefoxUpdatesJson } from './updateManifests.ts';

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export function enterpriseFiles(d: Deployment, xpiSha256?: string): Record<string, string> {
  return {
    'chromium-policy.json': json(chromiumPolicyJson(d)),
    'chrome-edge-windows.reg': chromiumPolicyReg(d),
    'firefox-policies.json': json(firefoxPolicies(d)),
    'update.xml': chromeUpdateXml(d),
    'updates.json': json(firefoxUpdatesJson(d, xpiSha256)),
  };
}

export function writeEnterpriseFiles(dir: string, d: Deployment, xpiSha256?: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(enterpriseFiles(d, xpiSha256)).map(([name, text]) => {
    writeFileSync(path.join(dir, name), text);
    return name;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir, deploymentFile] = process.argv.slice(2);
  if (!dir) throw new Error('usage: writePolicies.ts <dir> [deployment.json]');
  const deployment: unknown = deploymentFile
    ? JSON.parse(readFileSync(deploymentFile, 'utf8'))
    : EXAMPLE_DEPLOYMENT;
  if (!Value.Check(DeploymentSchema, deployment)) {
    const first = [...Value.Errors(DeploymentSchema, deployment)][0];
    throw new Error(`${deploymentFile}: ${first?.path || '/'} ${first?.message ?? 'is not a deployment'}`);
  }
  for (const name of writeEnterpriseFiles(dir, deployment)) console.log(path.join(dir, name));
}
