// Triage: the lead a caller submits, the verdict the Lead Triage agent returns,
// and `triageLead` (triage only, no outreach).
import { z } from 'zod';
import { CONSENT_DESCRIPTION, leadInputSchema, type LeadInput } from '../domain/lead.js';
import type { TriagedLead } from '../agents/triage/triage-agent.js';
import type { TriageResult } from '../agents/triage/triage.js';
import { builder } from './builder.js';
import { writesPersonalData } from './pii-masking.js';
import { CompanySizeEnum, IndustryEnum, PersonaEnum, TriageCategoryEnum } from './enums.js';
import { LeadRef } from './lead.js';
import { TriageFactorRef } from './triage-factor.js';

export const LeadInputRef = builder.inputRef<LeadInput>('LeadInput').implement({
  description: 'A lead as submitted. Re-submitting a lead id updates that lead: omitted fields keep their stored value, explicit nulls clear it.',
  fields: (t) => ({
    leadId: t.id({ required: true, description: "The caller's own id for the lead." }),
    industry: t.field({ type: IndustryEnum, required: true }),
    companySize: t.field({ type: CompanySizeEnum, required: true }),
    source: t.string({ description: 'Where the lead came from, e.g. organic, referral, demo_request, webinar.' }),
    persona: t.field({ type: PersonaEnum }),
    email: t.string(),
    phone: t.string(),
    campaignId: t.id({ description: 'The campaign the lead came from (it must exist); engagement then hands the campaign to optimization.' }),
    consent: t.boolean({ description: CONSENT_DESCRIPTION }),
  }),
});

/** Validates a field's `input` argument, naming invalid fields `input.<field>`. */
export const leadInputArgs = z.looseObject({ input: leadInputSchema });

export const TriageResultRef = builder.objectRef<TriageResult>('TriageResult').implement({
  description: "The Lead Triage agent's verdict.",
  fields: (t) => ({
    category: t.expose('category', { type: TriageCategoryEnum }),
    score: t.exposeInt('score', { description: '0-100.' }),
    confidence: t.exposeFloat('confidence', { description: '0-1.' }),
    assignedAgent: t.exposeString('assignedAgent', { description: 'The engagement agent the lead is routed to.' }),
    reasoning: t.exposeString('reasoning'),
    factors: t.expose('factors', { type: [TriageFactorRef] }),
    modelVersion: t.exposeString('modelVersion'),
  }),
});

const TriageLeadPayloadRef = builder.objectRef<TriagedLead>('TriageLeadPayload').implement({
  fields: (t) => ({
    lead: t.field({ type: LeadRef, resolve: ({ lead }) => lead }),
    conversationId: t.exposeID('conversationId'),
    triage: t.expose('triage', { type: TriageResultRef }),
  }),
});

builder.mutationField('triageLead', (t) =>
  t.field({
    type: TriageLeadPayloadRef,
    description: 'Score, classify and route a lead, and remember it, without starting outreach.',
    authScopes: { processLeads: true },
    ...writesPersonalData((args) => String(args.input.leadId)),
    args: { input: t.arg({ type: LeadInputRef, required: true }) },
    validate: leadInputArgs,
    resolve: (_root, { input }, { services }) => services.leads.triage(input),
  }),
);
