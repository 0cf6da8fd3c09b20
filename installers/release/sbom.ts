/**
 * A CycloneDX 1.5 SBOM of what ships: the npm packages the extension and the host are built from
 * (package-lock.json, without dev-only ones), and the Node runtime inside the host binary. Written
 * here rather than by @cyclonedx/cyclonedx-npm so that two builds give the same bytes: no time
 * stamp, and a serial number derived from the content.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface LockPackage {
  version?: string;
  resolved?: string;
  integrity?: string;
  license?: string;
  dev?: boolean;
}

interface Component {
  type: 'library' | 'platform' | 'application';
  'bom-ref': string;
  name: string;
  version: string;
  purl: string;
  licenses?: Array<{ expression: string }>;
  hashes?: Array<{ alg: string; content: string }>;
}

const npmPurl = (name: string, version: string) =>
  `pkg:npm/${name.startsWith('@') ? `%40${name.slice(1)}` : name}@${version}`;

/** npm's integrity (sha512-<base64>) as CycloneDX's hex hash. */
function hashOf(integrity: string | undefined): Component['hashes'] {
  const match = /^sha512-(.+)$/.exec(integrity ?? '');
  return match ? [{ alg: 'SHA-512', content: Buffer.from(match[1]!, 'base64').toString('hex') }] : undefined;
}

export function cycloneDxSbom(
  root: string,
  /** The Node runtime of each host binary released (one per OS). */
  runtimes: { name: string; version: string } | Array<{ name: string; version: string }>,
): Record<string, unknown> {
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    name: string;
    version: string;
    packages: Record<string, LockPackage>;
  };
  const components = new Map<string, Component>();
  for (const [where, pkg] of Object.entries(lock.packages)) {
    if (where === '' || pkg.dev || !pkg.version) continue;
    const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const ref = npmPurl(name, pkg.version);
    const hashes = hashOf(pkg.integrity);
    components.set(ref, {
      type: 'library',
      'bom-ref': ref,
      name,
      version: pkg.version,
      purl: ref,
      ...(pkg.license ? { licenses: [{ expression: pkg.license }] } : {}),
      ...(hashes ? { hashes } : {}),
    });
  }
  for (const runtime of [runtimes].flat()) {
    const node = `pkg:generic/nodejs/${runtime.name}@${runtime.version}`;
    components.set(node, {
      type: 'platform',
      'bom-ref': node,
      name: runtime.name,
      version: runtime.version,
      purl: node,
      licenses: [{ expression: 'MIT' }],
    });
  }
  const sorted = [...components.values()].sort((a, b) => a['bom-ref'].localeCompare(b['bom-ref']));
  const body = {
    metadata: {
      component: {
        type: 'application',
        'bom-ref': `pkg:npm/${lock.name}@${lock.version}`,
        name: lock.name,
        version: lock.version,
      },
    },
    components: sorted,
  };
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  // A UUID-shaped serial from the content: the same inputs give the same document.
  const serial = `urn:uuid:${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-8${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
  return { bomFormat: 'CycloneDX', specVersion: '1.5', serialNumber: serial, version: 1, ...body };
}
