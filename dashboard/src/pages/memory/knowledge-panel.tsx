// The knowledge graph around a node (a segment by default): search nodes by
// kind and name, pick one, see its neighbourhood; clicking a node recentres.
import { useEffect, useId, useMemo, useState } from 'react';
import { useQuery } from 'urql';
import { MemoryPageGraphDocument, MemoryPageNodesDocument } from '../../__generated__/graphql.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatEnum } from '../../components/format.ts';
import { GraphView } from '../../components/graph-view.tsx';
import { Loading } from '../../components/loading.tsx';

/** The node kinds of Baton's vocabulary (src/memory/semantic/vocabulary.ts). */
const KINDS = ['Segment', 'Industry', 'Persona', 'CompanySize', 'Channel', 'PainPoint', 'Regulation', 'MessageTheme'] as const;
const KIND_LABELS: Record<string, string> = {
  Segment: 'Segment',
  Industry: 'Industry',
  Persona: 'Persona',
  CompanySize: 'Company size',
  Channel: 'Channel',
  PainPoint: 'Pain point',
  Regulation: 'Regulation',
  MessageTheme: 'Message theme',
};

export function KnowledgePanel() {
  const id = useId();
  const [kind, setKind] = useState<string>('Segment');
  const [search, setSearch] = useState('');
  const [centre, setCentre] = useState<string | null>(null);
  const [depth, setDepth] = useState(1);

  const nameContains = search.trim();
  const [nodes] = useQuery({ query: MemoryPageNodesDocument, variables: { kind, ...(nameContains ? { nameContains } : {}) } });
  const found = nodes.data?.knowledgeNodes ?? [];
  // Until someone picks, and after each new search, the first node found is the centre,
  // once the search's own answer is in. `fetching` alone does not say so: for a render
  // after the search changed, the previous search's answer can still be there, settled,
  // and its first node stuck as the centre (CI caught a search for "health" among
  // industries left on Finance). A node of this search has its kind and contains its name.
  const firstOfThisSearch = found.find((node) => node.kind === kind && node.name.toLowerCase().includes(nameContains.toLowerCase()));
  useEffect(() => {
    if (centre === null && !nodes.fetching && firstOfThisSearch) setCentre(firstOfThisSearch.id);
  }, [centre, firstOfThisSearch, nodes.fetching]);

  const [graph] = useQuery({ query: MemoryPageGraphDocument, variables: { subject: centre ?? '', depth }, pause: centre === null });
  const knowledge = graph.data?.knowledge;
  const view = useMemo(() => {
    if (!knowledge) return null;
    return {
      nodes: knowledge.nodes.map((node) => ({ id: node.id, label: node.name, category: KIND_LABELS[node.kind] ?? node.kind })),
      edges: knowledge.facts.map((fact) => ({
        source: fact.subject.id,
        target: fact.object.id,
        label: formatEnum(fact.predicate).toLowerCase(),
        weight: fact.weight,
      })),
    };
  }, [knowledge]);
  const centreName = knowledge?.nodes.find((node) => node.id === centre)?.name ?? centre;

  return (
    <>
      <div className="filters">
        <label htmlFor={`${id}-kind`}>Kind</label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(event) => {
            setKind(event.target.value);
            setCentre(null);
          }}
        >
          {KINDS.map((value) => (
            <option key={value} value={value}>
              {KIND_LABELS[value]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-search`}>Name contains</label>
        <input
          id={`${id}-search`}
          type="search"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setCentre(null);
          }}
        />
        <label htmlFor={`${id}-node`}>Centre on</label>
        <select id={`${id}-node`} value={centre ?? ''} onChange={(event) => setCentre(event.target.value || null)} disabled={found.length === 0}>
          {centre !== null && !found.some((node) => node.id === centre) && <option value={centre}>{centreName}</option>}
          {found.map((node) => (
            <option key={node.id} value={node.id}>
              {node.name}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-depth`}>Hops</label>
        <select id={`${id}-depth`} value={depth} onChange={(event) => setDepth(Number(event.target.value))}>
          <option value={1}>1</option>
          <option value={2}>2</option>
        </select>
      </div>
      {nodes.error && <ErrorNotice error={nodes.error} title="The knowledge graph could not be searched" />}
      {graph.error && <ErrorNotice error={graph.error} title="The knowledge graph could not be read" />}
      {nodes.data && found.length === 0 && centre === null && (
        <EmptyState title={`No ${KIND_LABELS[kind]?.toLowerCase() ?? kind} node matches`}>
          Clear the name, or choose another kind. Baton seeds industries, personas and their segments at start-up; consolidation adds what the agents learn.
        </EmptyState>
      )}
      {(graph.fetching || nodes.fetching) && !view && <Loading label="Loading the knowledge graph" />}
      {view && centre && (
        <>
          <p className="hint" aria-live="polite">
            Centred on <strong>{centreName}</strong>: {view.nodes.length} nodes, {view.edges.length} facts within {depth} {depth === 1 ? 'hop' : 'hops'}. Click
            a node, or a name in the table, to recentre.
          </p>
          <GraphView
            nodes={view.nodes}
            edges={view.edges}
            centre={centre}
            onSelect={setCentre}
            label={`Knowledge graph around ${centreName}: ${view.nodes.length} nodes, ${view.edges.length} facts`}
          />
        </>
      )}
    </>
  );
}
