import type { HostServices } from '../hostServices.ts';
import type { CommandDefinition } from '../messaging/commandTypes.ts';
import { authenticateCommand } from './authenticate.ts';
import { certificatesListCommand } from './certificatesList.ts';
import { eventsSubscribeCommand } from './eventsSubscribe.ts';
import { nhiAuthenticateCommand } from './nhiAuthenticate.ts';
import { nhiReadBasicCommand } from './nhiReadBasic.ts';
import { signCommand } from './sign.ts';
import { statusCommand } from './status.ts';
import { versionCommand } from './version.ts';

export function allCommands(services: HostServices): CommandDefinition[] {
  return [
    versionCommand,
    statusCommand(services),
    nhiReadBasicCommand(services),
    nhiAuthenticateCommand(services),
    eventsSubscribeCommand,
    certificatesListCommand(services),
    authenticateCommand(services),
    signCommand(services),
  ];
}
