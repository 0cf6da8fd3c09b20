import { PROTOCOL_VERSION } from '../../../shared/protocol/version.ts';
import { defineCommand } from '../messaging/commandTypes.ts';
import { HOST_VERSION } from '../version.ts';

export const versionCommand = defineCommand('version', () =>
  Promise.resolve({ version: HOST_VERSION, protocol: PROTOCOL_VERSION }),
);
