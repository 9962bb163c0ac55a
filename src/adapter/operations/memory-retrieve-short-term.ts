// memory/retrieve/short-term and the MCP tool recall_conversation_memory:
// `{ conversation_id }` → ConversationContext, or null when the conversation has
// no live context (never written, or expired). One GraphQL operation
// (MemoryRetrieveShortTerm.graphql).
import { MemoryRetrieveShortTermDocument } from '../__generated__/operations.js';
import { defineAdapterOperation } from '../adapter-operation.js';
import { READ_ONLY } from '../door-bindings.js';
import { issuePaths } from '../shapes/issue-paths.js';
import { strictParams, text } from '../shapes/params.js';
import { conversationContextSchema, toConversationContext } from '../shapes/short-term-memory.js';

export const memoryRetrieveShortTerm = defineAdapterOperation({
  description: "Reads a conversation's short-term context; null when it was never written or has expired.",
  jsonRpc: { method: 'memory/retrieve/short-term' },
  mcp: {
    name: 'recall_conversation_memory',
    title: "Recall a conversation's context (short-term memory)",
    annotations: READ_ONLY,
    wrapIn: 'context',
  },
  input: strictParams({ conversation_id: text().describe('The conversation.') }),
  document: MemoryRetrieveShortTermDocument,
  toVariables: (params) => ({ conversationId: params.conversation_id }),
  output: conversationContextSchema.nullable(),
  toOutput: (data) => data.shortTermMemory && toConversationContext(data.shortTermMemory),
  issuePath: issuePaths({ conversationId: 'conversation_id' }),
});
