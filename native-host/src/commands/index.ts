import type { HostServices } from '../hostServices.ts';
import type { CommandDefinition } from '../messaging/commandTypes.ts';
import { eventsSubscribeCommand } from './eventsSubscribe.ts';
import { nhiReadBasicCommand } from './nhiReadBasic.ts';
import { statusCommand } from './status.ts';
import { versionCommand } from './version.ts';

export function allCommands(services: HostServices): CommandDefinition[] {
  return [versionCommand, statusCommand(services), nhiReadBasicCommand(services), eventsSubscribeCommand];
}
