import type { StatusResult } from '../../../shared/protocol/messages.ts';
import type { HostServices } from '../hostServices.ts';
import { defineCommand } from '../messaging/commandTypes.ts';
import { EncodedResult } from '../messaging/frameEncoder.ts';

/** The answer is kept encoded while the services give the same result object (nothing changed):
 * pages poll `status`, and serialising it again each time showed against the echo baseline. */
export const statusCommand = (services: HostServices) => {
  let encoded: EncodedResult<StatusResult> | undefined;
  return defineCommand('status', () =>
    services
      .status()
      .then((result) => (encoded?.value === result ? encoded : (encoded = new EncodedResult(result)))),
  );
};
