// Interaction: a touchpoint Baton sent or a signal the lead gave.
import { builder } from './builder.js';
import { ChannelEnum, InteractionTypeEnum } from './enums.js';

export const InteractionRef = builder.prismaObject('Interaction', {
  fields: (t) => ({
    id: t.exposeID('id'),
    type: t.expose('type', { type: InteractionTypeEnum }),
    channel: t.expose('channel', { type: ChannelEnum, nullable: true }),
    agent: t.exposeString('agent', { nullable: true }),
    template: t.exposeString('template', { nullable: true }),
    subject: t.exposeString('subject', { nullable: true }),
    body: t.exposeString('body', { nullable: true }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    lead: t.relation('lead'),
  }),
});
