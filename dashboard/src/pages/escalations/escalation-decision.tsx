// A manager's decision on one escalation: an optional note, and for a reassignment
// the agent or manager who decides instead. Typed errors (already decided, gone)
// and refusals are shown as the API words them.
import { useId, useState } from 'react';
import { useMutation } from 'urql';
import { type EscalationDecision, EscalationsPageResolveDocument } from '../../__generated__/graphql.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';

const DONE: Record<Exclude<EscalationDecision, 'REASSIGN'>, string> = { APPROVE: 'Approved', REJECT: 'Rejected' };

export function EscalationDecisionForm({ escalationId, onDecided }: { escalationId: string; onDecided: (message: string, leftQueue: boolean) => void }) {
  const id = useId();
  const [note, setNote] = useState('');
  const [reassignTo, setReassignTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [{ fetching, error }, resolve] = useMutation(EscalationsPageResolveDocument);

  async function decide(decision: EscalationDecision) {
    setProblem(null);
    if (decision === 'REASSIGN' && reassignTo.trim() === '') {
      setProblem('Say who decides instead in "Reassign to" before reassigning.');
      return;
    }
    const result = await resolve({
      id: escalationId,
      decision,
      note: note.trim() || null,
      reassignTo: decision === 'REASSIGN' ? reassignTo.trim() : null,
    });
    const outcome = result.data?.resolveEscalation;
    if (!outcome) return;
    if (outcome.__typename !== 'Handoff') {
      setProblem(outcome.message);
      return;
    }
    // A reassignment keeps the escalation open, now waiting for whoever it went to.
    if (decision === 'REASSIGN') {
      onDecided(`Reassigned escalation ${escalationId} to ${reassignTo.trim()}: it stays in the queue for their decision.`, false);
      setReassignTo('');
      setNote('');
      return;
    }
    onDecided(`${DONE[decision]} escalation ${escalationId}: it is now ${outcome.status.toLowerCase()}.`, true);
  }

  return (
    <form className="escalation-decision stack" aria-label={`Decide escalation ${escalationId}`} onSubmit={(event) => event.preventDefault()}>
      <label htmlFor={`${id}-note`}>Note for the record (optional)</label>
      <textarea id={`${id}-note`} rows={2} value={note} onChange={(event) => setNote(event.target.value)} />
      <div className="row">
        <button type="button" disabled={fetching} onClick={() => decide('APPROVE')}>
          Approve
        </button>
        <button type="button" className="button-danger" disabled={fetching} onClick={() => decide('REJECT')}>
          Reject
        </button>
      </div>
      <div className="row">
        <label htmlFor={`${id}-reassign`}>Reassign to</label>
        <input id={`${id}-reassign`} value={reassignTo} placeholder="an agent or manager" onChange={(event) => setReassignTo(event.target.value)} />
        <button type="button" className="button-quiet" disabled={fetching} onClick={() => decide('REASSIGN')}>
          Reassign
        </button>
      </div>
      {error && <ErrorNotice error={error} title="The decision was not stored" />}
      {problem && <ErrorNotice error={problem} title="The decision was not stored" />}
    </form>
  );
}
