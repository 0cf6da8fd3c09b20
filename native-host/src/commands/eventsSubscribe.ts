import { defineCommand } from '../messaging/commandTypes.ts';

/** After this, the host pushes `readers-changed` events on this connection. */
export const eventsSubscribeCommand = defineCommand('events.subscribe', (_args, context) => {
  context.subscribeEvents();
  return Promise.resolve({ subscribed: true, events: ['readers-changed'] });
});
