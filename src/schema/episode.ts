// Episodic memory: what happened to past leads, and which of them resemble a lead.
import { type SimilarEpisode, situationOf } from '../memory/episodic/episode-store.js';
import { builder } from './builder.js';
import { ChannelEnum, CompanySizeEnum, EpisodeOutcomeEnum, IndustryEnum, PersonaEnum } from './enums.js';
import { pageSize } from './page-size.js';

export const EpisodeRef = builder.prismaObject('Episode', {
  description: 'A situation (the lead and the last touchpoint), the action taken, and the outcome it reached.',
  fields: (t) => ({
    id: t.exposeID('id'),
    leadId: t.exposeID('leadId', { nullable: true }),
    industry: t.expose('industry', { type: IndustryEnum }),
    companySize: t.expose('companySize', { type: CompanySizeEnum }),
    persona: t.expose('persona', { type: PersonaEnum, nullable: true }),
    source: t.exposeString('source', { nullable: true }),
    channel: t.expose('channel', { type: ChannelEnum, nullable: true }),
    template: t.exposeString('template', { nullable: true }),
    sentHour: t.exposeInt('sentHour', { nullable: true, description: 'UTC hour of the last touchpoint.' }),
    action: t.exposeString('action'),
    outcome: t.expose('outcome', { type: EpisodeOutcomeEnum }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
  }),
});

const SimilarEpisodeRef = builder.objectRef<SimilarEpisode>('SimilarEpisode').implement({
  fields: (t) => ({
    similarity: t.exposeFloat('similarity', {
      description: 'Matched weight / 15, with industry 8, company size 4, persona 2, source 1.',
    }),
    episode: t.field({ type: EpisodeRef, resolve: ({ episode }) => episode }),
  }),
});

builder.prismaObjectFields('Lead', (t) => ({
  episode: t.relation('episode', { nullable: true, description: "This lead's own episode, once its conversation reached an outcome." }),
  similarEpisodes: t.field({
    type: [SimilarEpisodeRef],
    description: "Other leads' episodes most similar to this lead, most similar (then newest) first.",
    args: { first: t.arg.int({ defaultValue: 10, validate: pageSize }) },
    select: { id: true, industry: true, companySize: true, persona: true, source: true },
    resolve: (lead, { first }, { services }) => services.memory.episodes.similar(situationOf(lead), { k: first ?? 10, excludeLeadId: lead.id }),
  }),
}));
