// An event target on PostgreSQL's LISTEN/NOTIFY, for graphql-yoga's pub/sub:
// what carries events between processes when PostgreSQL is the only shared
// service (no REDIS_URL). The shape of @graphql-yoga/redis-event-target's.
// Publishes leave in order, batched: the events dispatched while one batch is on
// its way go together in the next statement, so a handoff's events arrive in the
// order they happened at one round trip per batch, not per event. A NOTIFY
// payload holds at most 8,000 bytes, which Baton's events stay well within.
import type { TypedEventListenerOrEventListenerObject, TypedEventTarget } from '@graphql-yoga/typed-event-target';
import type { NotificationMessage, Notifications } from '../db/notifications.js';
import type { Logger } from '../logger.js';

type Listener = TypedEventListenerOrEventListenerObject<CustomEvent>;

/** Listeners are kept as given, so removing one finds it. */
function deliver(listener: Listener, event: CustomEvent): void {
  if ('handleEvent' in listener) listener.handleEvent(event);
  else listener(event);
}

export function createPostgresEventTarget(notifications: Notifications, logger: Pick<Logger, 'warn'>): TypedEventTarget<CustomEvent> {
  const callbacks = new Map<string, { listeners: Set<Listener>; unlisten: Promise<() => Promise<void>> }>();
  /** Dispatched and not sent yet; `sending` from the first dispatch of a batch until the queue is empty. */
  let pending: NotificationMessage[] = [];
  let sending = false;

  async function sendPending(): Promise<void> {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      await notifications.notify(batch).catch((error: unknown) => logger.warn({ err: error, events: batch.length }, 'could not NOTIFY events'));
    }
    sending = false;
  }

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
      pending.push({ channel: event.type, payload: event.detail === undefined ? '' : JSON.stringify(event.detail) });
      if (!sending) {
        sending = true;
        // After this turn of the event loop: everything dispatched in it (a step's events) goes in one batch.
        setImmediate(() => void sendPending());
      }
      return true;
    },
  };
}
