// @envelop/prometheus with labels from a bounded set. Its defaults label every
// series with the operation name the client chose (and errors with their path,
// aliases included), so anyone, even without a token, could add series to
// /metrics without end. Here a name becomes a label only when it names one of the
// operations Baton knows in advance (the persisted documents: the adapter's
// operations and GraphiQL's examples); any other named operation is `unknown`, an
// unnamed one `anonymous`. The metric names and their other labels are the ones
// deploy/ queries (tests/e2e/deploy/support/metrics.ts).
import { createCounter, createHistogram, usePrometheus, type FillLabelsFnParams } from '@envelop/prometheus';
import { Kind, type DocumentNode } from 'graphql';
import type { Registry } from 'prom-client';
import { PERSISTED_DOCUMENTS } from './persisted-operations.js';

export const ANONYMOUS_OPERATION = 'anonymous';
export const UNKNOWN_OPERATION = 'unknown';
const OPERATION_TYPES = new Set(['query', 'mutation', 'subscription']);

/** The names of the operations in the persisted documents. */
export function knownOperationNames(documents: Iterable<DocumentNode> = PERSISTED_DOCUMENTS.values()): ReadonlySet<string> {
  const names = new Set<string>();
  for (const document of documents) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
    }
  }
  return names;
}

/** The label of an operation name as @envelop/prometheus reports it ('Anonymous' when the operation has none). */
export function operationNameLabel(name: string | undefined, known: ReadonlySet<string>): string {
  if (!name || name === 'Anonymous') return ANONYMOUS_OPERATION;
  return known.has(name) ? name : UNKNOWN_OPERATION;
}

const LABELS = ['operationType', 'operationName'] as const;
type Label = (typeof LABELS)[number];

export function useOperationMetrics(registry: Registry, known: ReadonlySet<string> = knownOperationNames()) {
  const labels = (params: FillLabelsFnParams): Record<Label, string> => ({
    operationName: operationNameLabel(params.operationName, known),
    operationType: params.operationType && OPERATION_TYPES.has(params.operationType) ? params.operationType : UNKNOWN_OPERATION,
  });
  const histogram = <Phase>(name: string, help: string, phases: [Phase, ...Phase[]]) =>
    createHistogram<Phase, Label>({ registry, histogram: { name, help, labelNames: LABELS }, fillLabelsFn: labels, phases });

  return usePrometheus({
    registry,
    skipIntrospection: true,
    metrics: {
      graphql_envelop_request: createCounter<'execute' | 'subscribe', Label>({
        registry,
        counter: { name: 'graphql_envelop_request', help: 'Counts the amount of GraphQL requests executed through Envelop', labelNames: LABELS },
        fillLabelsFn: labels,
        phases: ['execute', 'subscribe'],
      }),
      graphql_envelop_request_duration: histogram('graphql_envelop_request_duration', 'Time spent on running the GraphQL operation from parse to execute', [
        'execute',
        'subscribe',
      ]),
      // No `path` label: a path holds the client's aliases and list indices.
      graphql_envelop_error_result: createCounter<'parse' | 'validate' | 'context' | 'execute' | 'subscribe', Label | 'phase', ErrorParams>({
        registry,
        counter: { name: 'graphql_envelop_error_result', help: 'Counts the amount of errors reported from all phases', labelNames: [...LABELS, 'phase'] },
        fillLabelsFn: (params) => ({ ...labels(params), phase: params.errorPhase }),
        phases: ['parse', 'validate', 'context', 'execute', 'subscribe'],
      }),
      graphql_envelop_phase_parse: histogram('graphql_envelop_phase_parse', 'Time spent on running GraphQL "parse" function', ['parse']),
      graphql_envelop_phase_validate: histogram('graphql_envelop_phase_validate', 'Time spent on running GraphQL "validate" function', ['validate']),
      graphql_envelop_phase_context: histogram('graphql_envelop_phase_context', 'Time spent on building the GraphQL context', ['context']),
      graphql_envelop_phase_execute: histogram('graphql_envelop_phase_execute', 'Time spent on running the GraphQL "execute" function', ['execute']),
      graphql_envelop_phase_subscribe: histogram('graphql_envelop_phase_subscribe', 'Time spent on running the GraphQL "subscribe" function', ['subscribe']),
    },
  });
}

type ErrorParams = FillLabelsFnParams & { error: unknown; errorPhase: 'parse' | 'validate' | 'context' | 'execute' | 'subscribe' };
