// Writes what an operation noted about people's data (src/schema/pii-masking.ts
// notes each clear read and each write into the context's collector) once the
// operation has run, before its answer leaves: one batch per request, and one per
// event of a subscription. A failed write fails the operation rather than let
// unaudited clear data out.
import { getOperationAST, type DocumentNode } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';
import type { AccessCollector } from './access-collector.js';

type Audited = { audit?: AccessCollector };

export function useAuditLog(): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(async (args) => {
        const result = await executeFn(args);
        const collector = (args.contextValue as Audited).audit;
        if (!collector) return result;
        const operation = operationNameOf(args.document, args.operationName);
        // Incremental delivery (@defer, @stream): each part is flushed as it goes out.
        if (isAsyncIterable(result)) return mapAsyncIterator(result, (part) => collector.flush(operation).then(() => part));
        await collector.flush(operation);
        return result;
      });
    },
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const result = await subscribeFn(args);
        const collector = (args.contextValue as Audited).audit;
        if (!collector || !isAsyncIterable(result)) return result;
        const operation = operationNameOf(args.document, args.operationName);
        return mapAsyncIterator(result, (event) => collector.flush(operation).then(() => event));
      });
    },
  };
}

function operationNameOf(document: DocumentNode, operationName: string | null | undefined): string | null {
  return operationName ?? getOperationAST(document, operationName)?.name?.value ?? null;
}
