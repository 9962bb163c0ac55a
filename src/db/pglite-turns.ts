// PGlite runs each statement synchronously on the main thread, and the promise
// it returns settles without going back to the event loop. A chain of
// statements (the in-process queue taking a lead through triage, the gate and
// the engagement, one job after the other) therefore held the loop for its whole
// length, half a second and more: no request was read, and no WebSocket message
// went out, until the chain ended, so a handoffProgress subscriber got a flow's
// states in one burst at its end. Here each statement first lets the loop turn
// once (sockets are read and written, timers fire), as a statement over a
// network connection would.
import type { PGlite, Transaction } from '@electric-sql/pglite';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `db`, with a turn of the event loop before each statement, inside transactions too. */
export function withEventLoopTurns(db: PGlite): PGlite {
  return new Proxy(db, {
    get(target, property) {
      if (property === 'query' || property === 'exec') return afterTurn(target, property);
      if (property === 'transaction') {
        return async <T>(callback: (tx: Transaction) => Promise<T>) => {
          await turn();
          return target.transaction((tx) => callback(transactionWithTurns(tx)));
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function transactionWithTurns(tx: Transaction): Transaction {
  return new Proxy(tx, {
    get(target, property) {
      if (property === 'query' || property === 'exec') return afterTurn(target, property);
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function afterTurn<T extends PGlite | Transaction>(target: T, method: 'query' | 'exec') {
  const run = (target[method] as (...args: unknown[]) => Promise<unknown>).bind(target);
  return async (...args: unknown[]) => {
    await turn();
    return run(...args);
  };
}
