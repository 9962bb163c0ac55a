// "Process a lead", for operators and admins: processLead with wait:false answers
// once the lead is queued; the agents then work on it, and the list and the lead's
// page show their progress live (no need to wait here).
import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { Link } from 'wouter';
import { type CompanySize, type Industry, LeadsPageProcessLeadDocument, type Persona } from '../../__generated__/graphql.ts';
import { ErrorNotice } from '../../components/error-notice.tsx';
import { formatEnum } from '../../components/format.ts';
import { leadPath } from '../../routes.ts';
import { COMPANY_SIZES, INDUSTRIES, PERSONAS } from './lead-values.ts';

const EMPTY = { leadId: '', industry: 'TECHNOLOGY', companySize: 'SMB', persona: '', source: '', email: '', phone: '', campaignId: '' };

export function ProcessLeadForm() {
  const [fields, setFields] = useState(EMPTY);
  const [result, processLead] = useMutation(LeadsPageProcessLeadDocument);
  const set = (name: keyof typeof EMPTY) => (event: { target: { value: string } }) => setFields({ ...fields, [name]: event.target.value });
  const optional = (value: string) => value.trim() || undefined;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await processLead({
      input: {
        leadId: fields.leadId.trim(),
        industry: fields.industry as Industry,
        companySize: fields.companySize as CompanySize,
        persona: optional(fields.persona) as Persona | undefined,
        source: optional(fields.source),
        email: optional(fields.email),
        phone: optional(fields.phone),
        campaignId: optional(fields.campaignId),
      },
    });
    if (!answer.error) setFields(EMPTY);
  };
  const queued = result.data?.processLead;

  return (
    <details className="process-lead">
      <summary>Process a lead</summary>
      <form className="process-lead-form" onSubmit={submit} aria-label="Process a lead">
        <div>
          <label htmlFor="process-lead-id">Lead id (your own, e.g. from the CRM)</label>
          <input id="process-lead-id" required value={fields.leadId} onChange={set('leadId')} />
        </div>
        <Choice id="process-lead-industry" label="Industry" value={fields.industry} values={INDUSTRIES} onChange={set('industry')} />
        <Choice id="process-lead-size" label="Company size" value={fields.companySize} values={COMPANY_SIZES} onChange={set('companySize')} />
        <Choice id="process-lead-persona" label="Persona" value={fields.persona} values={PERSONAS} onChange={set('persona')} blank="Unknown" />
        <div>
          <label htmlFor="process-lead-source">Source</label>
          <input id="process-lead-source" value={fields.source} onChange={set('source')} placeholder="e.g. webinar" />
        </div>
        <div>
          <label htmlFor="process-lead-email">Email</label>
          <input id="process-lead-email" type="email" value={fields.email} onChange={set('email')} />
        </div>
        <div>
          <label htmlFor="process-lead-phone">Phone</label>
          <input id="process-lead-phone" type="tel" value={fields.phone} onChange={set('phone')} />
        </div>
        <div>
          <label htmlFor="process-lead-campaign">Campaign id</label>
          <input id="process-lead-campaign" value={fields.campaignId} onChange={set('campaignId')} />
        </div>
        <div className="row">
          <button type="submit" disabled={result.fetching}>
            {result.fetching ? 'Processing…' : 'Process lead'}
          </button>
        </div>
      </form>
      {result.error && <ErrorNotice error={result.error} title="The lead was not processed" />}
      {queued && !result.error && (
        <div className="notice notice-success" role="status">
          <p>
            Lead {queued.lead.id} is with the agents ({formatEnum(queued.status)}). <Link href={leadPath(queued.lead.id)}>Follow it on its page</Link>.
          </p>
        </div>
      )}
    </details>
  );
}

function Choice(props: {
  id: string;
  label: string;
  value: string;
  values: readonly string[];
  onChange: (event: { target: { value: string } }) => void;
  blank?: string;
}) {
  return (
    <div>
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={props.onChange}>
        {props.blank !== undefined && <option value="">{props.blank}</option>}
        {props.values.map((value) => (
          <option key={value} value={value}>
            {formatEnum(value)}
          </option>
        ))}
      </select>
    </div>
  );
}
