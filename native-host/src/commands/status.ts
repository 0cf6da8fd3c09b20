import { NoArgumentsSchema } from '../../../shared/protocol/messages.ts';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';

export const statusCommand = (services: HostServices) =>
  defineCommand({
    name: 'status',
    args: NoArgumentsSchema,
    run: () => services.status(),
  });
