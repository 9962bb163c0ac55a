// leadFunnel: leads received → triaged per category → converted, lost or still open.
import { type CategoryFunnel, type LeadFunnel, leadFunnel } from '../agents/reporting/lead-funnel.js';
import { builder } from './builder.js';
import { TriageCategoryEnum } from './enums.js';
import { optionalWindow } from './reporting-window.js';

const CategoryFunnelRef = builder.objectRef<CategoryFunnel>('LeadCategoryFunnel').implement({
  fields: (t) => ({
    category: t.expose('category', { type: TriageCategoryEnum }),
    leads: t.exposeInt('leads', { description: 'Triaged into this category.' }),
    converted: t.exposeInt('converted'),
    lost: t.exposeInt('lost'),
    open: t.exposeInt('open', { description: 'No outcome recorded yet (recordOutcome).' }),
  }),
});

const LeadFunnelRef = builder.objectRef<LeadFunnel>('LeadFunnel').implement({
  fields: (t) => ({
    leads: t.exposeInt('leads', { description: 'Every lead received, triaged or not.' }),
    triaged: t.exposeInt('triaged'),
    converted: t.exposeInt('converted'),
    lost: t.exposeInt('lost'),
    byCategory: t.expose('byCategory', { type: [CategoryFunnelRef], description: "One per triage category, in the enum's order, zeros included." }),
  }),
});

builder.queryField('leadFunnel', (t) =>
  t.field({
    type: LeadFunnelRef,
    description: 'Leads received in [since, until) (all of them by default), per triage category and outcome.',
    authScopes: { read: true },
    args: { since: t.arg({ type: 'DateTime' }), until: t.arg({ type: 'DateTime' }) },
    validate: optionalWindow,
    resolve: (_root, window, { services }) => leadFunnel(services.prisma, window),
  }),
);
