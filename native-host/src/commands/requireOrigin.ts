/** The host's own origin check for card operations (the extension checks first, with its allow-list). */
import { hostAllowsOrigin } from '../../../shared/protocol/origin.ts';
import { HostError } from '../hostError.ts';
import type { HostServices } from '../hostServices.ts';

export function requireAllowedOrigin(services: HostServices, origin: string): void {
  if (!hostAllowsOrigin(origin, services.config.developmentOrigins)) {
    throw new HostError(
      'ERR_ORIGIN_NOT_ALLOWED',
      'origin must be https://host[:port] or a configured development origin',
    );
  }
}
