import { NoArgumentsSchema } from '../../../shared/protocol/messages.ts';
import { defineCommand } from '../messaging/commandTypes.ts';

/** After this, the host pushes `readers-changed` events on this connection. */
export const eventsSubscribeCommand = defineCommand({
  name: 'events.subscribe',
  args: NoArgumentsSchema,
  run(_args, context) {
    context.subscribeEvents();
    return Promise.resolve({ subscribed: true, events: ['readers-changed'] });
  },
});
