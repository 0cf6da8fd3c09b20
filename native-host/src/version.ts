import packageJson from '../../package.json' with { type: 'json' };

/** The host's version: the project's version (semver). */
export const HOST_VERSION: string = packageJson.version;
