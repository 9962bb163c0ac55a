// One page of leads. Column headings that the API can order by are buttons; the
// heading the list is ordered by says so (aria-sort, and in words for everyone).
import { Link } from 'wouter';
import type { LeadOrder, LeadsPageLeadsQuery } from '../../__generated__/graphql.ts';
import { TableWrap } from '../../components/data-table.tsx';
import { formatDateTime, formatEnum } from '../../components/format.ts';
import { campaignPath, leadPath } from '../../routes.ts';

type LeadRow = LeadsPageLeadsQuery['leads']['edges'][number]['node'];

const ORDER_DIRECTION: Record<LeadOrder, 'ascending' | 'descending'> = {
  RECENT: 'descending',
  SCORE: 'descending',
  LAST_ACTIVITY: 'descending',
  CATEGORY: 'ascending',
  INDUSTRY: 'ascending',
};

export function LeadsTable({
  rows,
  order,
  onOrder,
  caption,
}: {
  rows: readonly LeadRow[];
  order: LeadOrder;
  onOrder: (order: LeadOrder) => void;
  caption: string;
}) {
  const heading = (label: string, by?: LeadOrder, numeric = false) => {
    const sorted = by !== undefined && by === order;
    return (
      <th scope="col" className={numeric ? 'number' : undefined} aria-sort={sorted ? ORDER_DIRECTION[by] : undefined}>
        {by === undefined ? (
          label
        ) : (
          <button type="button" onClick={() => onOrder(by)} aria-pressed={sorted}>
            {label}
            {sorted ? (ORDER_DIRECTION[by] === 'descending' ? ' ↓' : ' ↑') : ''}
            <span className="visually-hidden">{sorted ? ', sorted' : ', sort by this'}</span>
          </button>
        )}
      </th>
    );
  };
  return (
    <TableWrap label={caption}>
      <table className="leads-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {heading('Lead')}
            {heading('Score', 'SCORE', true)}
            {heading('Category', 'CATEGORY')}
            {heading('Industry', 'INDUSTRY')}
            {heading('Size')}
            {heading('Persona')}
            {heading('Source')}
            {heading('Campaign')}
            {heading('Outcome')}
            {heading('Last activity', 'LAST_ACTIVITY')}
            {heading('Created', 'RECENT')}
          </tr>
        </thead>
        <tbody>
          {rows.map((lead) => (
            <tr key={lead.id}>
              <td>
                <Link href={leadPath(lead.id)}>{lead.id}</Link>
              </td>
              <td className="number">{lead.score ?? '—'}</td>
              <td>{formatEnum(lead.category)}</td>
              <td>{formatEnum(lead.industry)}</td>
              <td>{formatEnum(lead.companySize)}</td>
              <td>{formatEnum(lead.persona)}</td>
              <td>{lead.source ?? '—'}</td>
              <td>{lead.campaign ? <Link href={campaignPath(lead.campaign.id)}>{lead.campaign.name}</Link> : '—'}</td>
              <td>{formatEnum(lead.outcome)}</td>
              <td>{formatDateTime(lead.profile?.lastActivityAt)}</td>
              <td>{formatDateTime(lead.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
