// "Review now": the optimization agent reviews the campaign's stored metrics
// (optimizeCampaign). Operators and admins may; a breach it finds escalates to a
// manager, and the notice says where to decide it.
import { useState } from 'react';
import { useMutation } from 'urql';
import { Link } from 'wouter';
import { CampaignPageOptimizeDocument } from '../../__generated__/graphql.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { PAGES } from '../../routes.ts';

export function RunReview({ campaignId, onReviewed }: { campaignId: string; onReviewed: () => void }) {
  const [{ fetching, error }, optimize] = useMutation(CampaignPageOptimizeDocument);
  const [outcome, setOutcome] = useState<{ text: string; escalated: boolean } | { problem: string } | null>(null);

  async function review() {
    setOutcome(null);
    const result = await optimize({ campaignId });
    const reviewed = result.data?.optimizeCampaign;
    if (!reviewed) return;
    if (reviewed.__typename !== 'OptimizationResult') {
      setOutcome({ problem: reviewed.message });
      return;
    }
    const escalated = reviewed.escalation != null;
    setOutcome({
      text: `Review done: ${reviewed.recommendations.length} recommendation(s), ${reviewed.breaches.length} breach(es)${escalated ? ', escalated to a manager' : ''}.`,
      escalated,
    });
    onReviewed();
  }

  return (
    <div className="stack">
      <button type="button" onClick={review} disabled={fetching}>
        {fetching ? 'Reviewing…' : 'Review this campaign now'}
      </button>
      {error && <ErrorNotice error={error} title="The review did not run" />}
      {outcome && 'problem' in outcome && <ErrorNotice error={outcome.problem} title="The review did not run" />}
      {outcome && 'text' in outcome && (
        <div role="status" className="notice notice-success">
          {outcome.text} {outcome.escalated && <Link href={PAGES.escalations}>Decide it in the escalation queue.</Link>}
        </div>
      )}
    </div>
  );
}
