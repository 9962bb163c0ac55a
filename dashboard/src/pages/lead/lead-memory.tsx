// What the agents drew on: episodes of similar past leads (and how they ended),
// and the knowledge-graph facts about this lead's industry, persona and segment.
import { TableWrap } from '../../components/data-table.tsx';
import { formatDateTime, formatDecimal, formatEnum, formatPercent } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import type { PageLead } from './lead-types.ts';

const OUTCOME_BADGE: Record<string, string> = {
  CONVERTED: 'badge badge-good',
  REPLIED: 'badge badge-good',
  IGNORED: 'badge badge-warn',
  LOST: 'badge badge-bad',
};

export function SimilarEpisodes({ lead }: { lead: PageLead }) {
  const similar = lead.similarEpisodes;
  return (
    <Panel title="Similar past episodes" wide>
      {similar.length === 0 ? (
        <p className="hint">No similar episode yet: episodes are recorded when leads reach an outcome (recordOutcome) and memory consolidates.</p>
      ) : (
        <TableWrap label="Similar past episodes, most similar first">
          <table aria-label="Similar past episodes, most similar first">
            <thead>
              <tr>
                <th scope="col" className="number">
                  Similarity
                </th>
                <th scope="col">Segment</th>
                <th scope="col">What was done</th>
                <th scope="col">Outcome</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {similar.map(({ similarity, episode }) => (
                <tr key={episode.id}>
                  <td className="number">{formatPercent(similarity, 0)}</td>
                  <td>
                    {[episode.industry, episode.companySize, episode.persona].filter(Boolean).map(formatEnum).join(', ')}
                    {episode.source && <span className="hint"> · {episode.source}</span>}
                  </td>
                  <td>
                    {episode.action}
                    {episode.channel && <span className="hint"> ({formatEnum(episode.channel)})</span>}
                  </td>
                  <td>
                    <span className={OUTCOME_BADGE[episode.outcome] ?? 'badge'}>{formatEnum(episode.outcome)}</span>
                  </td>
                  <td>{formatDateTime(episode.occurredAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </Panel>
  );
}

export function LeadKnowledge({ lead }: { lead: PageLead }) {
  const facts = lead.knowledge;
  return (
    <Panel title="Knowledge the agents used">
      {facts.length === 0 ? (
        <p className="hint">No facts about this lead's segment in the knowledge graph yet.</p>
      ) : (
        <ul className="lead-knowledge" aria-label="Facts, highest weight first">
          {facts.map((fact) => (
            <li key={`${fact.subject.id}|${fact.predicate}|${fact.object.id}`}>
              {fact.subject.name} <em>{fact.predicate.replaceAll('_', ' ')}</em> {fact.object.name}{' '}
              <span className="hint">
                (weight {formatDecimal(fact.weight)}, {fact.evidenceCount === 0 ? 'seed prior' : `${fact.evidenceCount} observations`})
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
