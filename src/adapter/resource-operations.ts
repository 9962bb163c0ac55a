// The listings behind MCP's resources/list: which leads and campaigns an agent
// can read as resources. Each is one GraphQL operation, like every adapter door.
import { z } from 'zod';
import { COMPANY_SIZE_LABELS, INDUSTRY_LABELS, TRIAGE_CATEGORY_LABELS } from '../domain/labels.js';
import { ListCampaignResourcesDocument, ListLeadResourcesDocument } from './__generated__/operations.js';
import { defineAdapterOperation } from './adapter-operation.js';
import { issuePaths } from './shapes/issue-paths.js';
import { array, nullable, object, string } from './shapes/json-schema.js';

/** How many of each a listing shows: an agent browsing resources wants the recent ones, not the archive. */
export const RESOURCE_LISTING_SIZE = 50;

const noParams = z.strictObject({});

export interface LeadListing {
  lead_id: string;
  /** "Technology, Enterprise: Campaign Qualified (82)". */
  summary: string;
}

/** The most recently updated leads. */
export const listLeadResourcesOperation = defineAdapterOperation({
  description: 'The most recently updated leads, with a one-line summary each.',
  input: noParams,
  document: ListLeadResourcesDocument,
  toVariables: () => ({ first: RESOURCE_LISTING_SIZE }),
  toOutput: (data): LeadListing[] =>
    data.leads.edges.map(({ node }) => ({
      lead_id: node.id,
      summary:
        `${INDUSTRY_LABELS[node.industry]}, ${COMPANY_SIZE_LABELS[node.companySize]}: ` +
        (node.category ? `${TRIAGE_CATEGORY_LABELS[node.category]} (${node.score ?? '?'})` : 'not triaged'),
    })),
  issuePath: issuePaths({}),
  result: array(object({ lead_id: string(), summary: string() })),
});

export const listCampaignResourcesOperation = defineAdapterOperation({
  description: 'Campaigns, by name.',
  input: noParams,
  document: ListCampaignResourcesDocument,
  toVariables: () => ({ first: RESOURCE_LISTING_SIZE }),
  toOutput: (data) => data.campaigns.edges.map(({ node }) => ({ campaign_id: node.id, name: node.name, status: node.status })),
  issuePath: issuePaths({}),
  result: array(object({ campaign_id: string(), name: string(), status: nullable(string()) })),
});
