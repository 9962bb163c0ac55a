// Which leads an agent can read as MCP resources (resources/list): the most
// recently updated, with a one-line summary each. One GraphQL operation
// (ListLeadResources.graphql), like every adapter door.
import { z } from 'zod';
import { COMPANY_SIZE_LABELS, INDUSTRY_LABELS, TRIAGE_CATEGORY_LABELS } from '../../domain/labels.js';
import { ListLeadResourcesDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { issuePaths } from '../shapes/issue-paths.js';

/** How many a listing shows: an agent browsing resources wants the recent ones, not the archive. */
export const RESOURCE_LISTING_SIZE = 50;

export const listLeadResources = defineAdapterOperation({
  description: 'The most recently updated leads, with a one-line summary each.',
  input: z.strictObject({}),
  document: ListLeadResourcesDocument,
  toVariables: () => ({ first: RESOURCE_LISTING_SIZE }),
  output: z.array(z.object({ lead_id: z.string(), summary: z.string().describe('"Technology, Enterprise: Campaign Qualified (82)".') })),
  toOutput: (data) =>
    data.leads.edges.map(({ node }) => ({
      lead_id: node.id,
      summary:
        `${INDUSTRY_LABELS[node.industry]}, ${COMPANY_SIZE_LABELS[node.companySize]}: ` +
        (node.category ? `${TRIAGE_CATEGORY_LABELS[node.category]} (${node.score ?? '?'})` : 'not triaged'),
    })),
  issuePath: issuePaths({}),
});
