// Who the lead is: what it was submitted with and what Baton learned since. Contact
// details show as the API returns them: masked for a viewer (j***@acme.com), in
// clear for roles that may see them; the page never masks or unmasks by itself.
import { Fragment } from 'react';
import { Link } from 'wouter';
import { formatDateTime, formatEnum, formatInteger } from '../../components/format.ts';
import { Panel } from '../../components/page.tsx';
import { campaignPath } from '../../routes.ts';
import type { PageLead } from './lead-types.ts';

export function LeadProfile({ lead }: { lead: PageLead }) {
  const profile = lead.profile;
  const attributes = Object.entries(isObject(profile?.attributes) ? profile.attributes : {});
  return (
    <Panel title="Profile">
      <dl className="lead-facts">
        <dt>Email</dt>
        <dd>{lead.email ?? '—'}</dd>
        <dt>Phone</dt>
        <dd>{lead.phone ?? '—'}</dd>
        <dt>Industry</dt>
        <dd>{formatEnum(lead.industry)}</dd>
        <dt>Company size</dt>
        <dd>{formatEnum(lead.companySize)}</dd>
        <dt>Persona</dt>
        <dd>{formatEnum(lead.persona)}</dd>
        <dt>Source</dt>
        <dd>{lead.source ?? '—'}</dd>
        <dt>Campaign</dt>
        <dd>{lead.campaign ? <Link href={campaignPath(lead.campaign.id)}>{lead.campaign.name}</Link> : '—'}</dd>
        <dt>Outcome</dt>
        <dd>{lead.outcome ? `${formatEnum(lead.outcome)} (${formatDateTime(lead.outcomeAt)})` : 'None yet'}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(lead.createdAt)}</dd>
        {profile && (
          <>
            <dt>Touches · opens · clicks · replies</dt>
            <dd>{[profile.touches, profile.opens, profile.clicks, profile.replies].map((count) => formatInteger(count)).join(' · ')}</dd>
            <dt>Last activity</dt>
            <dd>{formatDateTime(profile.lastActivityAt)}</dd>
            <dt>Responds best</dt>
            <dd>
              {formatEnum(profile.preferredChannel)}
              {profile.preferredHour != null && `, around ${profile.preferredHour}:00 UTC`}
            </dd>
            <dt>May be contacted</dt>
            <dd>{profile.consent && !profile.doNotContact ? 'Yes' : 'No (consent withdrawn or do-not-contact)'}</dd>
          </>
        )}
        {attributes.map(([key, value]) => (
          <Fragment key={key}>
            <dt>{key}</dt>
            <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
          </Fragment>
        ))}
      </dl>
      {!profile && <p className="hint">No long-term profile yet: memory consolidation builds one from the lead's interactions.</p>}
    </Panel>
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
