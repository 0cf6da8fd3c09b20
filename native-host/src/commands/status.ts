import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';

export const statusCommand = (services: HostServices) => defineCommand('status', () => services.status());
