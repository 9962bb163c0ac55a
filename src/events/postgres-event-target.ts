// An event target on PostgreSQL's LISTEN/NOTIFY, for graphql-yoga's pub/sub:
// what carries events between processes when PostgreSQL is the only shared
// service (no REDIS_URL). The shape of @graphql-yoga/redis-event-target's.
// Publishes leave one after the other, so a handoff's events arrive in the order
// they happened; a NOTIFY payload holds at most 8,000 bytes, which Baton's events
// stay well within.
import type { TypedEventListenerOrEventListenerObject, TypedEventTarget } from '@graphql-yoga/typed-event-target';
import type { Notifications } from '../db/notifications.js';
import type { Logger } from '../logger.js';

type Listener = TypedEventListenerOrEventListenerObject<CustomEvent>;

/** Listeners are kept as given, so removing one finds it. */
function deliver(listener: Listener, event: CustomEvent): void {
  if ('handleEvent' in listener) listener.handleEvent(event);
  else listener(event);
}

export function createPostgresEventTarget(notifications: Notifications, logger: Pick<Logger, 'warn'>): TypedEventTarget<CustomEvent> {
  const callbacks = new Map<string, { listeners: Set<Listener>; unlisten: Promise<() => Promise<void>> }>();
  /** The publishes so far, chained: each waits for the one before. */
  let published: Promise<unknown> = Promise.resolve();

  return {
    addEventListener(topic, listener) {
      if (!listener) return;
      const known = callbacks.get(topic);
      if (known) {
        known.listeners.add(listener as Listener);
        return;
      }
      const listeners = new Set([listener as Listener]);
      const unlisten = notifications.listen(topic, (payload) => {
        const event = new CustomEvent(topic, { detail: payload === '' ? null : JSON.parse(payload) });
        for (const each of listeners) deliver(each, event);
      });
      unlisten.catch((error: unknown) => logger.warn({ err: error, topic }, 'could not LISTEN for events'));
      callbacks.set(topic, { listeners, unlisten });
    },
    removeEventListener(topic, listener) {
      const known = callbacks.get(topic);
      if (!known || !listener) return;
      known.listeners.delete(listener as Listener);
      if (known.listeners.size > 0) return;
      callbacks.delete(topic);
      void known.unlisten.then((stop) => stop()).catch(() => {});
    },
    dispatchEvent(event) {
      const payload = event.detail === undefined ? '' : JSON.stringify(event.detail);
      published = published
        .then(() => notifications.notify(event.type, payload))
        .catch((error: unknown) => logger.warn({ err: error, topic: event.type }, 'could not NOTIFY an event'));
      return true;
    },
  };
}
