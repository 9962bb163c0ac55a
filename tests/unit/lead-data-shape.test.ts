// The specification's LeadData (snake_case, human labels) ↔ GraphQL's LeadInput.
import { describe, expect, it } from 'vitest';
import { leadDataPath, leadRequestSchema, toLeadInput } from '../../src/adapter/shapes/lead-data.js';

const specExample = { lead_id: 'lead-001', industry: 'Technology', company_size: 'Enterprise', source: 'organic' };

function issues(payload: unknown) {
  const result = leadRequestSchema.safeParse(payload);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path, message: issue.message }));
}

describe('leadRequestSchema', () => {
  it('maps human labels to enum values', () => {
    const parsed = leadRequestSchema.parse({
      lead_data: { ...specExample, company_size: 'Mid-Market', persona: 'Decision Maker', email: 'jane.doe@acme.com' },
    });
    expect(parsed.lead_data).toEqual({
      lead_id: 'lead-001',
      industry: 'TECHNOLOGY',
      company_size: 'MID_MARKET',
      source: 'organic',
      persona: 'DECISION_MAKER',
      email: 'jane.doe@acme.com',
    });
  });

  it.each([
    ['industry', 'Healthcare', 'HEALTHCARE'],
    ['industry', 'Finance', 'FINANCE'],
    ['industry', 'Manufacturing', 'MANUFACTURING'],
    ['company_size', 'Startup', 'STARTUP'],
    ['company_size', 'SMB', 'SMB'],
    ['persona', 'Influencer', 'INFLUENCER'],
    ['persona', 'End User', 'END_USER'],
  ] as const)('maps %s "%s" to %s', (field, label, value) => {
    const parsed = leadRequestSchema.parse({ lead_data: { ...specExample, [field]: label } });
    expect(parsed.lead_data[field]).toBe(value);
  });

  it('rejects an unknown label at lead_data.industry, listing the allowed labels', () => {
    expect(issues({ lead_data: { ...specExample, industry: 'Tech' } })).toEqual([
      { path: ['lead_data', 'industry'], message: 'must be one of "Technology", "Healthcare", "Finance", "Manufacturing"' },
    ]);
  });

  it('rejects enum names where labels are expected', () => {
    const [issue] = issues({ lead_data: { ...specExample, company_size: 'MID_MARKET' } });
    expect(issue).toEqual({ path: ['lead_data', 'company_size'], message: 'must be one of "Startup", "SMB", "Mid-Market", "Enterprise"' });
  });

  it('rejects a non-string label with the allowed labels too', () => {
    expect(issues({ lead_data: { ...specExample, persona: 3 } })).toEqual([
      { path: ['lead_data', 'persona'], message: 'must be one of "Decision Maker", "Influencer", "End User"' },
    ]);
  });

  it('reports a missing lead_data as required', () => {
    expect(issues({})).toEqual([{ path: ['lead_data'], message: 'is required' }]);
  });

  it('reports missing lead_id, industry and company_size as required', () => {
    expect(issues({ lead_data: { source: 'organic' } })).toEqual(
      expect.arrayContaining([
        { path: ['lead_data', 'lead_id'], message: 'is required' },
        { path: ['lead_data', 'industry'], message: 'is required' },
        { path: ['lead_data', 'company_size'], message: 'is required' },
      ]),
    );
    expect(issues({ lead_data: { industry: 'Technology', company_size: 'Enterprise' } })).toEqual([{ path: ['lead_data', 'lead_id'], message: 'is required' }]);
  });

  it('says what is wrong with a lead_data or lead_id of the wrong type', () => {
    expect(issues({ lead_data: 'lead-001' })).toEqual([{ path: ['lead_data'], message: 'must be an object' }]);
    expect(issues({ lead_data: { ...specExample, lead_id: 42 } })).toEqual([{ path: ['lead_data', 'lead_id'], message: 'must be a string' }]);
    expect(issues({ lead_data: { ...specExample, email: 42 } })).toEqual([{ path: ['lead_data', 'email'], message: 'must be a string' }]);
  });

  it('rejects a payload that is not an object', () => {
    expect(issues('hello')).toEqual([{ path: [], message: 'must be a JSON object with a "lead_data" object' }]);
  });

  it('leaves domain rules (email format, id format) to GraphQL', () => {
    expect(issues({ lead_data: { ...specExample, lead_id: 'has spaces', email: 'not-an-email' } })).toEqual([]);
  });

  it('accepts null for the optional fields', () => {
    const parsed = leadRequestSchema.parse({ lead_data: { ...specExample, source: null, persona: null, email: null, phone: null } });
    expect(parsed.lead_data).toEqual({
      ...specExample,
      industry: 'TECHNOLOGY',
      company_size: 'ENTERPRISE',
      source: null,
      persona: null,
      email: null,
      phone: null,
    });
  });
});

describe('toLeadInput', () => {
  it('keeps omitted fields omitted', () => {
    const { lead_data } = leadRequestSchema.parse({ lead_data: { lead_id: 'lead-001', industry: 'Finance', company_size: 'SMB' } });
    const input = toLeadInput(lead_data);
    expect(input).toStrictEqual({ leadId: 'lead-001', industry: 'FINANCE', companySize: 'SMB' });
    expect(Object.keys(input).sort()).toEqual(['companySize', 'industry', 'leadId']);
  });

  it('passes explicit nulls on, so the stored value is cleared', () => {
    const { lead_data } = leadRequestSchema.parse({
      lead_data: { ...specExample, source: null, persona: null, email: null, phone: null },
    });
    expect(toLeadInput(lead_data)).toStrictEqual({
      leadId: 'lead-001',
      industry: 'TECHNOLOGY',
      companySize: 'ENTERPRISE',
      source: null,
      persona: null,
      email: null,
      phone: null,
    });
  });

  it('renames every given field to camelCase', () => {
    const { lead_data } = leadRequestSchema.parse({
      lead_data: { ...specExample, persona: 'Influencer', email: 'jane.doe@acme.com', phone: '+1 415 555 0100' },
    });
    expect(toLeadInput(lead_data)).toStrictEqual({
      leadId: 'lead-001',
      industry: 'TECHNOLOGY',
      companySize: 'ENTERPRISE',
      source: 'organic',
      persona: 'INFLUENCER',
      email: 'jane.doe@acme.com',
      phone: '+1 415 555 0100',
    });
  });
});

describe('leadDataPath', () => {
  it('maps GraphQL input paths to LeadData paths', () => {
    expect(leadDataPath('input.leadId')).toBe('lead_data.lead_id');
    expect(leadDataPath('input.companySize')).toBe('lead_data.company_size');
    expect(leadDataPath('input.email')).toBe('lead_data.email');
    expect(leadDataPath('input')).toBe('lead_data');
  });

  it('only renames a leading "input" segment', () => {
    expect(leadDataPath('other.input')).toBe('other.input');
  });
});
