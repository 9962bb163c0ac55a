// GET /api/v1/system/status: one GraphQL operation (systemStatus) and its shape.
import { SystemStatusDocument } from './__generated__/operations.js';
import { defineAdapterOperation } from './adapter-operation.js';
import { issuePaths } from './shapes/issue-paths.js';
import { systemStatusQuerySchema, toSystemStatus } from './shapes/system-status.js';

export const systemStatusOperation = defineAdapterOperation({
  input: systemStatusQuerySchema,
  document: SystemStatusDocument,
  toVariables: () => ({}),
  toOutput: (data) => toSystemStatus(data.systemStatus),
  issuePath: issuePaths({}),
});
