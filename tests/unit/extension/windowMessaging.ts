/// <reference lib="dom" />
/**
 * window.postMessage for the jsdom tests of the page library and the content script.
 *
 * jsdom's own postMessage leaves MessageEvent.source null ("TODO: event.source - requires reference to
 * incumbent window" in jsdom/browser/Window.js) and does not clone the data. Both the page library and
 * the content script accept only messages whose `event.source === window`, so with jsdom's version
 * every message would be ignored. This replacement behaves like a browser for one window: it drops a
 * message whose targetOrigin is not the page's origin, clones the data, and queues a MessageEvent
 * with `source: window` and the page's origin. Delivery is asynchronous, as in a browser: nothing
 * arrives until the test calls deliver(), which dispatches queued messages one task at a time (so
 * promise chains started by one message run before the next) until the queue stays empty. It does
 * not depend on timers, so it works the same with vi.useFakeTimers().
 */

export interface PostedMessage {
  data: unknown;
  targetOrigin: string;
}

/** The `action` of a posted message, if it has one. */
export function actionOf(data: unknown): string | undefined {
  const action = (data as { action?: unknown } | null)?.action;
  return typeof action === 'string' ? action : undefined;
}

export interface WindowMessaging {
  /** Every window.postMessage call, in order (requests and replies alike). */
  readonly posted: PostedMessage[];
  /** The `action` of every posted message, in order ('' for a message without one). */
  actions(): string[];
  /** Delivers queued messages (and those they cause) until nothing is left. */
  deliver(): Promise<void>;
  /** A message from another window (an iframe, an opener…), dispatched at once. */
  dispatchFrom(source: MessageEventSource | null, data: unknown): void;
  restore(): void;
}

// Captured before any test installs fake timers: a real task boundary, for letting promise chains run.
const realSetTimeout = globalThis.setTimeout;
const nextTask = () => new Promise<void>((resolve) => realSetTimeout(resolve, 0));

export function installWindowMessaging(): WindowMessaging {
  const original = window.postMessage.bind(window);
  const queue: MessageEvent[] = [];
  const posted: PostedMessage[] = [];

  const postMessage = (message: unknown, targetOrigin: string): void => {
    posted.push({ data: structuredClone(message), targetOrigin });
    if (targetOrigin !== '*' && new URL(targetOrigin).origin !== window.location.origin) return;
    queue.push(
      new MessageEvent('message', {
        data: structuredClone(message),
        source: window,
        origin: window.location.origin,
      }),
    );
  };
  window.postMessage = postMessage as typeof window.postMessage;

  return {
    posted,
    actions: () => posted.map((m) => actionOf(m.data) ?? ''),
    async deliver() {
      for (let i = 0; i < 1_000; i++) {
        await nextTask();
        const event = queue.shift();
        if (!event) return;
        window.dispatchEvent(event);
      }
      throw new Error('window messages kept coming');
    },
    dispatchFrom(source, data) {
      window.dispatchEvent(new MessageEvent('message', { data, source, origin: window.location.origin }));
    },
    restore() {
      queue.length = 0;
      window.postMessage = original;
    },
  };
}

/** Another window (an iframe's), to send messages from a source that is not the page. */
export function otherWindow(): Window {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  if (!frame.contentWindow) throw new Error('jsdom gave the iframe no window');
  return frame.contentWindow;
}
