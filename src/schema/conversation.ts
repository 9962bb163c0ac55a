// Conversation: one lead's thread of interactions and handoffs across agents.
import { builder } from './builder.js';
import { DEFAULT_PAGE_SIZE, pageSize } from './page-size.js';

export const ConversationRef = builder.prismaObject('Conversation', {
  description: "One lead's thread of interactions across agents.",
  fields: (t) => ({
    id: t.exposeID('id'),
    lead: t.relation('lead'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    interactions: t.relation('interactions', {
      description: 'Most recent first.',
      args: { first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE, validate: pageSize }) },
      query: ({ first }) => ({ take: first ?? DEFAULT_PAGE_SIZE, orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }] }),
    }),
    handoffs: t.relation('handoffs', {
      description: 'Most recent first.',
      args: { first: t.arg.int({ defaultValue: DEFAULT_PAGE_SIZE, validate: pageSize }) },
      query: ({ first }) => ({ take: first ?? DEFAULT_PAGE_SIZE, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] }),
    }),
  }),
});
