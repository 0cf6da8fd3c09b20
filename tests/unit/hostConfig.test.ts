/**
 * Host settings: config file locations per OS, the system file then the user's merged (lists added,
 * scalars overridden), broken files reported and ignored, environment variables on top.
 */
import { describe, expect, it } from 'vitest';
import { configFilePaths, readHostConfig } from '../../native-host/src/config.ts';
import { BUILT_IN_MODULES } from '../../native-host/src/tokens/pkcs11/moduleList.ts';

const HOME = '/home/tester';

/** A `read` over an in-memory file system; a missing file throws like readFileSync does. */
function files(map: Record<string, string>): (file: string) => string {
  return (file) => {
    const text = map[file];
    if (text === undefined)
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${file}'`), { code: 'ENOENT' });
    return text;
  };
}

/** The system and user file paths for this machine's platform (readHostConfig uses process.platform). */
function paths(env: NodeJS.ProcessEnv): { system: string; user: string } {
  const [system, user] = configFilePaths(env);
  return { system: system!, user: user! };
}

/** readHostConfig also adds the built-in HiCOS modules found on this machine: leave those out. */
const explicitModules = (modules: string[]) =>
  modules.filter((m) => !(BUILT_IN_MODULES[process.platform] ?? []).includes(m));

const baseEnv: NodeJS.ProcessEnv = { HOME, XDG_CONFIG_HOME: undefined };

describe('configFilePaths', () => {
  it('on Linux: /etc, then XDG_CONFIG_HOME or ~/.config', () => {
    expect(configFilePaths({ HOME }, 'linux')).toEqual([
      '/etc/cardbridge/config.json',
      '/home/tester/.config/cardbridge/config.json',
    ]);
    expect(configFilePaths({ HOME, XDG_CONFIG_HOME: '/xdg' }, 'linux')).toEqual([
      '/etc/cardbridge/config.json',
      '/xdg/cardbridge/config.json',
    ]);
  });

  it('on macOS: /Library, then ~/Library', () => {
    expect(configFilePaths({ HOME: '/Users/t' }, 'darwin')).toEqual([
      '/Library/Application Support/CardBridge/config.json',
      '/Users/t/Library/Application Support/CardBridge/config.json',
    ]);
  });

  it('on Windows: PROGRAMDATA, then APPDATA (with defaults)', () => {
    expect(
      configFilePaths(
        { PROGRAMDATA: 'D:\\PD', APPDATA: 'E:\\Users\\t\\Roaming', USERPROFILE: 'E:\\Users\\t' },
        'win32',
      ),
    ).toEqual(['D:\\PD\\CardBridge\\config.json', 'E:\\Users\\t\\Roaming\\CardBridge\\config.json']);
    expect(configFilePaths({ USERPROFILE: 'C:\\Users\\t' }, 'win32')).toEqual([
      'C:\\ProgramData\\CardBridge\\config.json',
      'C:\\Users\\t\\AppData\\Roaming\\CardBridge\\config.json',
    ]);
  });

  it('CARDBRIDGE_CONFIG replaces both files, on every platform', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(configFilePaths({ HOME, CARDBRIDGE_CONFIG: '/tmp/only.json' }, platform)).toEqual([
        '/tmp/only.json',
      ]);
    }
  });
});

describe('readHostConfig: config files', () => {
  it('uses defaults when there is no config file', () => {
    const config = readHostConfig(baseEnv, files({}));
    expect(config).toMatchObject({
      logLevel: 'info',
      logToStderr: false,
      apduTimeoutMs: 10_000,
      pkcs12Files: [],
      developmentOrigins: [],
      configFiles: [],
    });
    expect(explicitModules(config.pkcs11Modules)).toEqual([]);
  });

  it('reads only CARDBRIDGE_CONFIG when it is set', () => {
    const { system } = paths(baseEnv);
    const read = files({
      [system]: JSON.stringify({ logLevel: 'error' }),
      '/cfg/override.json': JSON.stringify({ logLevel: 'debug', apduTimeoutMs: 5000 }),
    });
    const config = readHostConfig({ ...baseEnv, CARDBRIDGE_CONFIG: '/cfg/override.json' }, read);
    expect(config.configFiles).toEqual([{ path: '/cfg/override.json' }]);
    expect(config.logLevel).toBe('debug');
    expect(config.apduTimeoutMs).toBe(5000);
  });

  it('merges the system file then the user file: lists concatenated, scalars from the later file', () => {
    const { system, user } = paths(baseEnv);
    const read = files({
      [system]: JSON.stringify({
        pkcs11Modules: ['/sys/p11.so'],
        pkcs12Files: ['/sys/a.p12'],
        developmentOrigins: ['http://127.0.0.1:8443'],
        apduTimeoutMs: 20_000,
        logLevel: 'warn',
      }),
      [user]: JSON.stringify({
        pkcs11Modules: ['/usr/p11.so'],
        pkcs12Files: ['/usr/b.p12'],
        developmentOrigins: ['http://localhost:3000'],
        apduTimeoutMs: 30_000,
        logLevel: 'debug',
      }),
    });
    const config = readHostConfig(baseEnv, read);
    expect(config.configFiles).toEqual([{ path: system }, { path: user }]);
    expect(explicitModules(config.pkcs11Modules)).toEqual(['/sys/p11.so', '/usr/p11.so']);
    expect(config.pkcs12Files).toEqual(['/sys/a.p12', '/usr/b.p12']);
    expect(config.developmentOrigins).toEqual(['http://127.0.0.1:8443', 'http://localhost:3000']);
    expect(config.apduTimeoutMs).toBe(30_000);
    expect(config.logLevel).toBe('debug');
  });

  it('keeps the system scalars the user file does not set', () => {
    const { system, user } = paths(baseEnv);
    const read = files({
      [system]: JSON.stringify({ apduTimeoutMs: 20_000, logLevel: 'warn' }),
      [user]: JSON.stringify({ pkcs12Files: ['/u.p12'] }),
    });
    const config = readHostConfig(baseEnv, read);
    expect(config.apduTimeoutMs).toBe(20_000);
    expect(config.logLevel).toBe('warn');
    expect(config.pkcs12Files).toEqual(['/u.p12']);
  });

  it('reports a file with invalid JSON and still applies the other one', () => {
    const { system, user } = paths(baseEnv);
    const read = files({
      [system]: '{ "logLevel": "warn", ',
      [user]: JSON.stringify({ pkcs12Files: ['/u.p12'], apduTimeoutMs: 1234 }),
    });
    const config = readHostConfig(baseEnv, read);
    expect(config.configFiles).toHaveLength(2);
    expect(config.configFiles[0]!.path).toBe(system);
    expect(config.configFiles[0]!.error).toEqual(expect.any(String));
    expect(config.configFiles[1]).toEqual({ path: user });
    expect(config.logLevel).toBe('info');
    expect(config.pkcs12Files).toEqual(['/u.p12']);
    expect(config.apduTimeoutMs).toBe(1234);
  });

  it.each([
    ['an unknown property', { pkcs12Files: ['/bad.p12'], pkcs11Module: ['/typo.so'] }],
    ['a wrong type', { pkcs12Files: ['/bad.p12'], apduTimeoutMs: '5000' }],
    ['a list of the wrong type', { pkcs12Files: '/bad.p12' }],
    ['a value out of range', { pkcs12Files: ['/bad.p12'], apduTimeoutMs: 50 }],
    ['an unknown log level', { pkcs12Files: ['/bad.p12'], logLevel: 'verbose' }],
    ['a JSON value that is not an object', ['/bad.p12']],
  ])('ignores the whole user file with %s, reports it, and keeps the system file', (_name, content) => {
    const { system, user } = paths(baseEnv);
    const read = files({
      [system]: JSON.stringify({ pkcs12Files: ['/good.p12'], logLevel: 'warn', apduTimeoutMs: 20_000 }),
      [user]: JSON.stringify(content),
    });
    const config = readHostConfig(baseEnv, read);
    expect(config.configFiles[0]).toEqual({ path: system });
    expect(config.configFiles[1]!.path).toBe(user);
    expect(config.configFiles[1]!.error).toMatch(/./);
    expect(config.pkcs12Files).toEqual(['/good.p12']);
    expect(config.logLevel).toBe('warn');
    expect(config.apduTimeoutMs).toBe(20_000);
  });

  it('names the offending property in the schema error', () => {
    const { user } = paths(baseEnv);
    const config = readHostConfig(baseEnv, files({ [user]: JSON.stringify({ apduTimeoutMs: 'slow' }) }));
    expect(config.configFiles).toEqual([
      { path: user, error: expect.stringContaining('/apduTimeoutMs') as string },
    ]);
  });

  it('does not list a missing file', () => {
    const { user } = paths(baseEnv);
    const config = readHostConfig(baseEnv, files({ [user]: '{}' }));
    expect(config.configFiles).toEqual([{ path: user }]);
  });
});

describe('readHostConfig: environment variables', () => {
  it('CARDBRIDGE_APDU_TIMEOUT_MS overrides the config file', () => {
    const { user } = paths(baseEnv);
    const read = files({ [user]: JSON.stringify({ apduTimeoutMs: 20_000 }) });
    expect(readHostConfig({ ...baseEnv, CARDBRIDGE_APDU_TIMEOUT_MS: '45000' }, read).apduTimeoutMs).toBe(
      45_000,
    );
    expect(readHostConfig({ ...baseEnv, CARDBRIDGE_APDU_TIMEOUT_MS: '100' }, read).apduTimeoutMs).toBe(100);
  });

  it.each(['99', '0', '-5000', 'soon', '', 'NaN', 'Infinity'])(
    'CARDBRIDGE_APDU_TIMEOUT_MS=%j is ignored (config file value, else the default)',
    (value) => {
      const { user } = paths(baseEnv);
      const env = { ...baseEnv, CARDBRIDGE_APDU_TIMEOUT_MS: value };
      expect(readHostConfig(env, files({})).apduTimeoutMs).toBe(10_000);
      const read = files({ [user]: JSON.stringify({ apduTimeoutMs: 20_000 }) });
      expect(readHostConfig(env, read).apduTimeoutMs).toBe(20_000);
    },
  );

  it('CARDBRIDGE_DEV_ORIGINS is a comma list, added after the config file origins', () => {
    const { user } = paths(baseEnv);
    const read = files({ [user]: JSON.stringify({ developmentOrigins: ['http://cfg.test'] }) });
    const config = readHostConfig(
      { ...baseEnv, CARDBRIDGE_DEV_ORIGINS: ' http://127.0.0.1:8443 ,, http://localhost:3000,' },
      read,
    );
    expect(config.developmentOrigins).toEqual([
      'http://cfg.test',
      'http://127.0.0.1:8443',
      'http://localhost:3000',
    ]);
  });

  it('CARDBRIDGE_PKCS11_MODULES and CARDBRIDGE_PKCS12_FILES come before the config file entries', () => {
    const { user } = paths(baseEnv);
    const read = files({
      [user]: JSON.stringify({ pkcs11Modules: ['/cfg/m.so'], pkcs12Files: ['/cfg/f.p12', '/env/a.p12'] }),
    });
    const delimiter = process.platform === 'win32' ? ';' : ':';
    const config = readHostConfig(
      {
        ...baseEnv,
        CARDBRIDGE_PKCS11_MODULES: ['/env/m1.so', '/env/m2.so'].join(delimiter),
        CARDBRIDGE_PKCS12_FILES: ['/env/a.p12', '/env/b.p12'].join(delimiter),
      },
      read,
    );
    expect(explicitModules(config.pkcs11Modules)).toEqual(['/env/m1.so', '/env/m2.so', '/cfg/m.so']);
    expect(config.pkcs12Files).toEqual(['/env/a.p12', '/env/b.p12', '/cfg/f.p12']);
  });

  it('CARDBRIDGE_LOG_LEVEL overrides the config file', () => {
    const { user } = paths(baseEnv);
    const read = files({ [user]: JSON.stringify({ logLevel: 'warn' }) });
    expect(readHostConfig({ ...baseEnv, CARDBRIDGE_LOG_LEVEL: 'debug' }, read).logLevel).toBe('debug');
    expect(readHostConfig({ ...baseEnv, CARDBRIDGE_LOG_LEVEL: 'error' }, files({})).logLevel).toBe('error');
    expect(readHostConfig(baseEnv, read).logLevel).toBe('warn');
  });

  it('CARDBRIDGE_LOG_STDERR=1 turns on stderr logging, and CARDBRIDGE_LOG_DIR sets the log folder', () => {
    const config = readHostConfig(
      { ...baseEnv, CARDBRIDGE_LOG_STDERR: '1', CARDBRIDGE_LOG_DIR: '/var/log/cb' },
      files({}),
    );
    expect(config.logToStderr).toBe(true);
    expect(config.logDir).toBe('/var/log/cb');
    expect(readHostConfig({ ...baseEnv, CARDBRIDGE_LOG_STDERR: 'yes' }, files({})).logToStderr).toBe(false);
  });
});

describe('readHostConfig: problems that must not pass silently', () => {
  it('reports a config file that exists but cannot be read', () => {
    const { system } = paths(baseEnv);
    const read = (file: string): string => {
      if (file === system) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    expect(readHostConfig(baseEnv, read).configFiles).toEqual([
      { path: system, error: 'cannot read: EACCES' },
    ]);
  });

  it('keeps the config file log level when CARDBRIDGE_LOG_LEVEL is empty or unknown', () => {
    const { user } = paths(baseEnv);
    const read = files({ [user]: JSON.stringify({ logLevel: 'debug' }) });
    for (const value of ['', 'verbose']) {
      expect(readHostConfig({ ...baseEnv, CARDBRIDGE_LOG_LEVEL: value }, read).logLevel).toBe('debug');
    }
    expect(readHostConfig({ ...baseEnv, CARDBRIDGE_LOG_LEVEL: 'warn' }, read).logLevel).toBe('warn');
  });

  it('accepts CARDBRIDGE_APDU_TIMEOUT_MS only as a whole number in the schema range', () => {
    for (const value of ['150.5', '1e12', '99', 'abc']) {
      expect(readHostConfig({ ...baseEnv, CARDBRIDGE_APDU_TIMEOUT_MS: value }, files({})).apduTimeoutMs).toBe(
        10_000,
      );
    }
    expect(readHostConfig({ ...baseEnv, CARDBRIDGE_APDU_TIMEOUT_MS: '250' }, files({})).apduTimeoutMs).toBe(
      250,
    );
  });
});
