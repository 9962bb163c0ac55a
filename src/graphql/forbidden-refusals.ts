// A role that may not call a field is refused by Pothos scope-auth inside
// GraphQL, and REST, JSON-RPC and MCP run GraphQL operations as their caller:
// counting FORBIDDEN results here covers every door. Logged with who asked
// (subject and roles) and which operation, never with the request's values.
import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/roles.js';
import { ForbiddenError } from '../errors.js';
import type { Metrics } from '../http/metrics.js';
import type { Logger } from '../logger.js';

export function useForbiddenRefusals({ metrics, logger }: { metrics: Pick<Metrics, 'accessRefusals'>; logger: Logger }): Plugin {
  function inspect(result: unknown, contextValue: unknown, operationName: string | null | undefined): void {
    if (isAsyncIterable(result)) return; // a stream started: it was allowed
    // Before or after Yoga's masking (plugin order): the cause, or the code it was mapped to.
    const forbidden = ((result as ExecutionResult).errors ?? []).filter(
      (error) => error.originalError instanceof ForbiddenError || error.extensions?.code === 'FORBIDDEN',
    );
    if (forbidden.length === 0) return;
    const principal = (contextValue as { principal?: Principal }).principal;
    metrics.accessRefusals.inc({ reason: 'forbidden' });
    logger.info(
      { subject: principal?.subject, roles: principal?.roles, operation: operationName ?? null, refused: forbidden.map((error) => error.message) },
      'operation forbidden',
    );
  }
  return {
    onExecute({ args }) {
      return { onExecuteDone: ({ result }) => inspect(result, args.contextValue, args.operationName) };
    },
    onSubscribe({ args }) {
      return { onSubscribeResult: ({ result }) => inspect(result, args.contextValue, args.operationName) };
    },
  };
}
