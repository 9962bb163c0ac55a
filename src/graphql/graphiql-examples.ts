// The tabs GraphiQL opens with: what a newcomer runs first, the first one first.
// They carry no headers: one Authorization header serves every tab (graphiql-page.ts).
// Each query is also a persisted operation (persisted-operations.ts).
export const GRAPHIQL_TABS: { query: string; variables?: string }[] = [
  {
    query: `# Run a lead through the agents: triage, handoff to engagement, first touchpoint.
mutation ProcessLead($input: LeadInput!) {
  processLead(input: $input) {
    success
    triage { category score confidence assignedAgent reasoning }
    handoff { status qualityScore events { status detail } }
    engagement { channel template subject body }
    nextActions { action channel dueAt }
  }
}`,
    variables: JSON.stringify(
      {
        input: {
          leadId: 'lead-001',
          industry: 'TECHNOLOGY',
          companySize: 'ENTERPRISE',
          source: 'organic',
          persona: 'DECISION_MAKER',
          email: 'jane.doe@acme.com',
        },
      },
      null,
      2,
    ),
  },
  {
    query: `# One lead, with its verdict, conversation and handoffs.
query Lead($id: ID!) {
  lead(id: $id) {
    id score category confidence reasoning
    factors { feature value contribution }
    conversation { id interactions { type channel template occurredAt } }
    handoffs { type status qualityScore fromAgent toAgent }
  }
}`,
    variables: JSON.stringify({ id: 'lead-001' }, null, 2),
  },
  {
    query: `# Watch handoffs live, then process a lead in another tab.
subscription HandoffProgress {
  handoffProgress { leadId handoffType sequence status qualityScore detail occurredAt }
}`,
  },
  {
    query: `# What Baton remembers about a lead, and what it knows about its market.
# Record an outcome (recordOutcome) and run consolidateMemory to see triage learn.
query Memory($id: ID!) {
  lead(id: $id) {
    profile { attributes touches opens replies preferredChannel scoreHistory { score modelVersion at } consent }
    episode { outcome channel template }
    similarEpisodes(first: 5) { similarity episode { outcome industry companySize } }
    knowledge(first: 5) { predicate weight object { kind name } }
  }
  memoryStats { shortTerm { backend activeContexts hitRate } longTerm episodic { episodes converted } semantic { backend facts } }
}`,
    variables: JSON.stringify({ id: 'lead-001' }, null, 2),
  },
  {
    query: `# Record how a lead ended: the next consolidation learns from it.
# A mutation answers its payload or a typed error (here an unknown lead: NotFoundError).
mutation RecordOutcome($leadId: ID!, $outcome: LeadOutcome!) {
  recordOutcome(leadId: $leadId, outcome: $outcome) {
    __typename
    ... on Lead { id outcome outcomeAt score }
    ... on Error { code message }
    ... on NotFoundError { kind id }
  }
}`,
    variables: JSON.stringify({ leadId: 'lead-001', outcome: 'CONVERTED' }, null, 2),
  },
];
