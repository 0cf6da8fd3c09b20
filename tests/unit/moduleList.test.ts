/**
 * Which PKCS#11 modules and PKCS#12 files the host uses: explicit ones (environment, config file)
 * always and first, the built-in HiCOS paths only when they exist, each path once.
 */
import { describe, expect, it } from 'vitest';
import {
  BUILT_IN_MODULES,
  pkcs11Modules,
  pkcs12Files,
} from '../../native-host/src/tokens/pkcs11/moduleList.ts';

const none = () => false;
const only =
  (...present: string[]) =>
  (file: string) =>
    present.includes(file);

describe('pkcs11Modules: explicit modules', () => {
  it('splits the environment variable on ":" on POSIX and trims the parts', () => {
    expect(pkcs11Modules({ env: ' /opt/a.so : /opt/b.so::', platform: 'linux', exists: none })).toEqual([
      '/opt/a.so',
      '/opt/b.so',
    ]);
  });

  it('splits on ";" on Windows, so drive letters are not split', () => {
    expect(pkcs11Modules({ env: 'C:\\a\\x.dll;D:\\b\\y.dll;', platform: 'win32', exists: none })).toEqual([
      'C:\\a\\x.dll',
      'D:\\b\\y.dll',
    ]);
  });

  it('does not split on ";" on POSIX', () => {
    expect(pkcs11Modules({ env: '/opt/a;b.so', platform: 'darwin', exists: none })).toEqual(['/opt/a;b.so']);
  });

  it('puts environment modules before config modules', () => {
    expect(
      pkcs11Modules({
        env: '/env/one.so',
        config: ['/cfg/two.so', '  ', '/cfg/three.so'],
        platform: 'linux',
        exists: none,
      }),
    ).toEqual(['/env/one.so', '/cfg/two.so', '/cfg/three.so']);
  });

  it('keeps explicit modules even when they do not exist (the worker reports them)', () => {
    expect(pkcs11Modules({ env: '/missing.so', platform: 'linux', exists: none })).toEqual(['/missing.so']);
  });

  it('returns nothing with no sources and no built-in module present', () => {
    expect(pkcs11Modules({ platform: 'linux', exists: none })).toEqual([]);
    expect(pkcs11Modules({ env: '', config: [], platform: 'win32', exists: none })).toEqual([]);
  });
});

describe('pkcs11Modules: built-in HiCOS paths', () => {
  it.each(['win32', 'darwin', 'linux'] as const)(
    'on %s uses only the built-in paths that exist',
    (platform) => {
      const builtIn = BUILT_IN_MODULES[platform]!;
      expect(builtIn.length).toBeGreaterThan(1);
      const present = builtIn[1]!;
      const asked: string[] = [];
      const result = pkcs11Modules({
        platform,
        exists: (file) => {
          asked.push(file);
          return file === present;
        },
      });
      expect(result).toEqual([present]);
      expect(asked).toEqual([...builtIn]);
    },
  );

  it('lists all of them, in table order, when all exist', () => {
    const builtIn = BUILT_IN_MODULES.linux!;
    expect(pkcs11Modules({ platform: 'linux', exists: () => true })).toEqual([...builtIn]);
  });

  it('names the HiCOS module on Windows and macOS', () => {
    expect(BUILT_IN_MODULES.win32).toContain('C:\\Windows\\System32\\HiCOSPKCS11.dll');
    expect(BUILT_IN_MODULES.darwin).toContain('/Library/HiCOS/libHicos_p11v1.dylib');
  });

  it('has no built-in modules on a platform without a table entry', () => {
    expect(pkcs11Modules({ platform: 'freebsd', exists: () => true, env: '/x.so' })).toEqual(['/x.so']);
  });

  it('puts explicit modules before built-in ones', () => {
    const builtIn = BUILT_IN_MODULES.darwin![0]!;
    expect(pkcs11Modules({ env: '/opt/vendor.dylib', platform: 'darwin', exists: only(builtIn) })).toEqual([
      '/opt/vendor.dylib',
      builtIn,
    ]);
  });
});

describe('pkcs11Modules: each module once', () => {
  it('drops repeats across environment, config and built-in paths, keeping the first place', () => {
    const builtIn = BUILT_IN_MODULES.linux![0]!;
    expect(
      pkcs11Modules({
        env: `/opt/a.so:${builtIn}:/opt/a.so`,
        config: ['/opt/b.so', builtIn, '/opt/a.so'],
        platform: 'linux',
        exists: only(builtIn),
      }),
    ).toEqual(['/opt/a.so', builtIn, '/opt/b.so']);
  });

  it('treats POSIX paths that normalise alike as one, but keeps case', () => {
    expect(
      pkcs11Modules({
        env: '/opt/lib/a.so:/opt/./lib//a.so:/opt/lib/A.so',
        platform: 'linux',
        exists: none,
      }),
    ).toEqual(['/opt/lib/a.so', '/opt/lib/A.so']);
  });

  it('is case-insensitive and separator-insensitive on Windows', () => {
    const system32 = BUILT_IN_MODULES.win32![0]!;
    expect(
      pkcs11Modules({
        env: 'c:\\windows\\system32\\hicospkcs11.dll;C:/Windows/System32/HiCOSPKCS11.DLL',
        config: ['C:\\Vendor\\P11.dll', 'c:\\vendor\\p11.dll'],
        platform: 'win32',
        exists: only(system32),
      }),
    ).toEqual(['c:\\windows\\system32\\hicospkcs11.dll', 'C:\\Vendor\\P11.dll']);
  });
});

describe('pkcs12Files', () => {
  it('splits the environment on ":" on POSIX, appends config files, trims and drops empties', () => {
    expect(pkcs12Files(' /a.p12 :: /b.pfx ', ['/c.p12', ' '], 'linux')).toEqual([
      '/a.p12',
      '/b.pfx',
      '/c.p12',
    ]);
  });

  it('splits on ";" on Windows', () => {
    expect(pkcs12Files('C:\\certs\\a.p12;D:\\b.pfx', [], 'win32')).toEqual(['C:\\certs\\a.p12', 'D:\\b.pfx']);
  });

  it('lists each file once, first place kept', () => {
    expect(pkcs12Files('/a.p12:/b.p12', ['/b.p12', '/a.p12', '/c.p12'], 'linux')).toEqual([
      '/a.p12',
      '/b.p12',
      '/c.p12',
    ]);
  });

  it('returns nothing when nothing is configured', () => {
    expect(pkcs12Files(undefined, undefined, 'linux')).toEqual([]);
    expect(pkcs12Files('', [], 'win32')).toEqual([]);
  });
});

describe('pkcs12Files on Windows', () => {
  it('treats paths that differ only in case as the same file', () => {
    expect(pkcs12Files('C:\\Certs\\Unit.p12;c:\\certs\\unit.p12', ['C:\\CERTS\\UNIT.P12'], 'win32')).toEqual([
      'C:\\Certs\\Unit.p12',
    ]);
  });
});
