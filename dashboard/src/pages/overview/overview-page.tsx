// The front page: how leads flow through Baton now. One query answers every panel
// (no waterfall before the first render), and it runs again whenever a lead is
// processed, a handoff moves or a triage model is fitted, so the figures are live without polling.
import { useCallback, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import {
  OverviewHandoffProgressDocument,
  OverviewLeadProcessedDocument,
  OverviewPageDocument,
  OverviewTriageModelFittedDocument,
} from '../../__generated__/graphql.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { Loading } from '../../components/loading.tsx';
import { Page } from '../../components/page.tsx';
import { useRefreshOn } from '../../graphql/use-refresh-on.ts';
import { EscalationsPanel } from './escalations-panel.tsx';
import { HandoffsPanel } from './handoffs-panel.tsx';
import { LeadActivityPanel } from './lead-activity-panel.tsx';
import { LeadFunnelPanel } from './lead-funnel-panel.tsx';
import { OutboxPanel } from './outbox-panel.tsx';
import { TriageModelPanel } from './triage-model-panel.tsx';
import { DEFAULT_WINDOW, WINDOWS, windowById } from './overview-window.ts';

export default function OverviewPage() {
  const [chosen, setChosen] = useState(DEFAULT_WINDOW);
  // The window starts when it is chosen and runs to now (the API's default `until`),
  // so what arrives while the page is open counts without moving the variables.
  const variables = useMemo(() => ({ since: new Date(Date.now() - chosen.hours * 3_600_000).toISOString(), bucket: chosen.bucket }), [chosen]);
  const [{ data, error, fetching }, reexecute] = useQuery({ query: OverviewPageDocument, variables });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useRefreshOn(OverviewLeadProcessedDocument, {}, refresh);
  useRefreshOn(OverviewHandoffProgressDocument, {}, refresh);
  useRefreshOn(OverviewTriageModelFittedDocument, {}, refresh);

  const picker = (
    <div className="row">
      <label htmlFor="overview-window">Window</label>
      <select id="overview-window" value={chosen.id} onChange={(event) => setChosen(windowById(event.target.value))}>
        {WINDOWS.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Page title="Overview" actions={picker}>
      {error && <ErrorNotice error={error} title="The overview could not be loaded" />}
      {!data && fetching && <Loading label="Loading the overview" />}
      {data && (
        <div className="panels">
          <LeadFunnelPanel funnel={data.leadFunnel} />
          <LeadActivityPanel activity={data.leadActivity} />
          <HandoffsPanel analytics={data.handoffAnalytics} />
          <EscalationsPanel escalations={data.escalations} />
          <OutboxPanel counts={data.outboxCounts} />
          <TriageModelPanel model={data.triageModel} versions={data.triageModelVersions} drift={data.triageDrift} />
        </div>
      )}
    </Page>
  );
}
