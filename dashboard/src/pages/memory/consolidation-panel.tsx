// Consolidation runs, newest first: what each moved from the short-term tier
// into profiles, episodes, knowledge weights and the triage model. Admins can
// run one now.
import { useMutation } from 'urql';
import { MemoryPageConsolidateDocument, type MemoryPageConsolidationRunsQuery } from '../../__generated__/graphql.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatDateTime, formatInteger, formatMs } from '../../components/format.ts';

type Run = MemoryPageConsolidationRunsQuery['consolidationRuns'][number];

export function ConsolidateButton({ onDone }: { onDone: () => void }) {
  const [state, consolidate] = useMutation(MemoryPageConsolidateDocument);
  return (
    <div className="stack">
      <button
        type="button"
        disabled={state.fetching}
        onClick={async () => {
          const result = await consolidate({});
          if (!result.error) onDone();
        }}
      >
        {state.fetching ? 'Consolidating…' : 'Consolidate now'}
      </button>
      {state.error && <ErrorNotice error={state.error} title="Consolidation failed" />}
      {state.data && !state.error && (
        <p className="notice notice-success" role="status">
          Consolidated in {formatMs(state.data.consolidateMemory.durationMs)}.
        </p>
      )}
    </div>
  );
}

export function ConsolidationRuns({ runs }: { runs: readonly Run[] }) {
  if (runs.length === 0) {
    return (
      <EmptyState title="No consolidation has run yet">
        Baton consolidates every CONSOLIDATION_INTERVAL_S; an admin can run it now with “Consolidate now” (or the consolidateMemory mutation).
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table aria-label="Consolidation runs, newest first">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Took</th>
            <th scope="col">Contexts read</th>
            <th scope="col">Profiles</th>
            <th scope="col">Episodes</th>
            <th scope="col">Facts reweighted</th>
            <th scope="col">Triage model</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.runId}>
              <td>
                {formatDateTime(run.startedAt)} {run.skipped && <span className="badge badge-warn">Skipped</span>}
              </td>
              <td className="number">{formatMs(run.durationMs)}</td>
              <td className="number">{formatInteger(run.contextsRead)}</td>
              <td className="number">{formatInteger(run.profilesUpdated)}</td>
              <td className="number">{formatInteger(run.episodesWritten)}</td>
              <td className="number">{formatInteger(run.factsReweighted)}</td>
              <td>
                {run.triageModelVersion || '—'}
                {run.triageModelRetrained && <span className="badge badge-good">Retrained</span>} ({formatInteger(run.outcomesLearned)} outcomes)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
