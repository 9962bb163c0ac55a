// GET /api/v1/system/status: one GraphQL operation (systemStatus) and its shape.
import { SystemStatusDocument } from './__generated__/operations.js';
import { defineAdapterOperation } from './adapter-operation.js';
import { issuePaths } from './shapes/issue-paths.js';
import { SYSTEM_STATUS_JSON_SCHEMA, systemStatusQuerySchema, toSystemStatus } from './shapes/system-status.js';

export const systemStatusOperation = defineAdapterOperation({
  description:
    'System health: uptime, active conversations, agents and their recent handoffs, memory tier figures and handoff analytics.',
  input: systemStatusQuerySchema,
  document: SystemStatusDocument,
  toVariables: () => ({}),
  toOutput: (data) => toSystemStatus(data.systemStatus),
  issuePath: issuePaths({}),
  result: SYSTEM_STATUS_JSON_SCHEMA,
});
