// The live short-term conversations: what each is about, its slots (masked for
// viewers by the API), the agent that last spoke and when it expires.
import type { MemoryPageConversationsQuery } from '../../__generated__/graphql.ts';
import { EmptyState } from '../../components/empty-state.tsx';
import { formatDateTime } from '../../components/format.ts';
import { Link } from 'wouter';
import { leadPath } from '../../routes.ts';

type Conversation = MemoryPageConversationsQuery['shortTermConversations'][number];

export function ConversationsTable({ conversations }: { conversations: readonly Conversation[] }) {
  if (conversations.length === 0) {
    return (
      <EmptyState title="No live conversation">
        Conversations appear here while the agents hold their context (a day unless told otherwise): process a lead, or store one with storeShortTermMemory.
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table aria-label="Live short-term conversations">
        <thead>
          <tr>
            <th scope="col">Conversation</th>
            <th scope="col">Lead</th>
            <th scope="col">Intent</th>
            <th scope="col">Slots</th>
            <th scope="col">Last agent</th>
            <th scope="col">Pending</th>
            <th scope="col">Updated</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {conversations.map((conversation) => (
            <tr key={conversation.conversationId}>
              <td>{conversation.conversationId}</td>
              <td>{conversation.leadId ? <Link href={leadPath(conversation.leadId)}>{conversation.leadId}</Link> : '—'}</td>
              <td>{conversation.activeIntent ?? '—'}</td>
              <td>
                <Slots slots={conversation.extractedSlots} />
              </td>
              <td>{conversation.lastAgent ?? '—'}</td>
              <td>{conversation.pendingActions.length > 0 ? conversation.pendingActions.join(', ') : '—'}</td>
              <td>{formatDateTime(conversation.updatedAt)}</td>
              <td>{formatDateTime(conversation.expiresAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Slots({ slots }: { slots: unknown }) {
  const entries = slots && typeof slots === 'object' ? Object.entries(slots as Record<string, unknown>) : [];
  if (entries.length === 0) return <>—</>;
  return (
    <dl className="memory-slots">
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
