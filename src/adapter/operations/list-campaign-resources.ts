// Which campaigns an agent can read as MCP resources (resources/list), by name.
// One GraphQL operation (ListCampaignResources.graphql), like every adapter door.
import { z } from 'zod';
import { ListCampaignResourcesDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { RESOURCE_LISTING_SIZE } from './list-lead-resources.js';

export const listCampaignResources = defineAdapterOperation({
  description: 'Campaigns, by name.',
  input: z.strictObject({}),
  document: ListCampaignResourcesDocument,
  toVariables: () => ({ first: RESOURCE_LISTING_SIZE }),
  output: z.array(z.object({ campaign_id: z.string(), name: z.string(), status: z.string() })),
  toOutput: (data) => data.campaigns.edges.map(({ node }) => ({ campaign_id: node.id, name: node.name, status: node.status })),
  issuePath: issuePaths({}),
});
