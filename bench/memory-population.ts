// The synthetic world the memory benchmark reads: leads with their
// conversations and profiles, a year of episodes, live conversation contexts,
// and a knowledge graph a few thousand facts larger than the seed. Seeded, so
// every run (and both databases) hold the same data.
//
// Leads come from tests/support/synthetic-population.ts (its realistic,
// skewed attribute distributions). The first HISTORY_SHARE of them are past
// leads: each has the one episode its conversation ended in, and those that
// ended converted or lost carry that outcome. The rest are open: no outcome
// yet, and a live short-term context with slots learned in conversation. The
// other episodes have no lead (imported from another system), with features
// from the same distributions.
import { randomUUID } from 'node:crypto';
import { leadColumns } from '../src/domain/lead.js';
import { INDUSTRY_LABELS } from '../src/domain/labels.js';
import { normalizeSource } from '../src/domain/triage-model.js';
import type { Channel, CompanySize, EpisodeOutcome, Industry, Persona, Prisma } from '../src/db/generated/prisma/client.js';
import type { EpisodeInput, Situation } from '../src/memory/episodic/episode-store.js';
import type { InteractionInput } from '../src/memory/interaction-log.js';
import type { ConversationContextPatch } from '../src/memory/short-term/short-term-memory.js';
import { CHANNELS, COMPANY_SIZES, INDUSTRIES, MESSAGE_THEMES, PERSONAS } from '../src/memory/semantic/seed-knowledge.js';
import type { FactInput, NodeInput } from '../src/memory/semantic/semantic-memory.js';
import {
  ADDRESSED_BY,
  channelNode,
  companySizeNode,
  HAS_PAIN_POINT,
  industryNode,
  messageThemeNode,
  painPointNode,
  personaNode,
  regulationNode,
  RESPONDS_TO,
  RESTRICTS_CHANNEL,
  segmentNode,
  SUBJECT_TO,
} from '../src/memory/semantic/vocabulary.js';
import { generatePopulation, mulberry32, type SyntheticLead } from '../tests/support/synthetic-population.js';

/** Share of the leads that are history (their conversation has ended in an episode). */
export const HISTORY_SHARE = 0.6;
const DAY_MS = 86_400_000;

type Random = () => number;
type Weighted<T> = readonly [T, number];

function pick<T>(random: Random, choices: readonly Weighted<T>[]): T {
  const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
  let remaining = random() * total;
  for (const [value, weight] of choices) {
    if (remaining < weight) return value;
    remaining -= weight;
  }
  return choices[choices.length - 1]![0];
}

function pickOne<T>(random: Random, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)]!;
}

function integer(random: Random, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

/** The situation triage and the episode store see for a lead (source normalized). */
export function situationOf(lead: SyntheticLead['lead']): Situation {
  return {
    industry: lead.industry,
    companySize: lead.companySize,
    persona: lead.persona ?? null,
    source: lead.source ? normalizeSource(lead.source) : null,
  };
}

// ── Episodes ────────────────────────────────────────────────────────────────

/** How conversations end: a bit over half reach a recorded outcome, the rest replied or went quiet. */
const TERMINAL_SHARE = 0.55;
const REPLIED_SHARE = 0.15;
const UNTOUCHED_SHARE = 0.05;
const CHANNEL_MIX: Weighted<Channel>[] = [
  ['EMAIL', 55],
  ['LINKEDIN', 25],
  ['CALL', 12],
  ['SMS', 8],
];
const TEMPLATES = ['intro', 'case-study', 'roi-calculator', 'webinar-invite', 'follow-up-1', 'follow-up-2', 'product-update', 'breakup'];

function episodeOf(synthetic: SyntheticLead, leadId: string | null, random: Random, now: number): EpisodeInput {
  const u = random();
  const outcome: EpisodeOutcome =
    u < TERMINAL_SHARE ? (random() < synthetic.trueProbability ? 'CONVERTED' : 'LOST') : u < TERMINAL_SHARE + REPLIED_SHARE ? 'REPLIED' : 'IGNORED';
  const touched = random() >= UNTOUCHED_SHARE;
  const channel = touched ? pick(random, CHANNEL_MIX) : null;
  const template = channel ? `${channel.toLowerCase()}-${pickOne(random, TEMPLATES)}` : null;
  // Business hours mostly; a tenth at any hour.
  const sentHour = channel ? (random() < 0.9 ? integer(random, 8, 18) : integer(random, 0, 23)) : null;
  return {
    leadId,
    ...situationOf(synthetic.lead),
    channel,
    template,
    sentHour,
    action: channel ? `touchpoint:${channel.toLowerCase()}:${template}` : 'none',
    outcome,
    occurredAt: new Date(now - Math.floor(random() * 365 * DAY_MS)),
  };
}

// ── The world ───────────────────────────────────────────────────────────────

export interface World {
  leads: SyntheticLead[];
  /** Lead id → its conversation's id (a UUID, as the pipeline makes them). */
  conversationOf: Map<string, string>;
  /** Episodes of history leads, by lead id (one each). */
  leadEpisodes: Map<string, EpisodeInput>;
  /** Episodes without a lead. */
  importedEpisodes: EpisodeInput[];
  /** Ids of the leads still open (no outcome, live context with learned slots). */
  openLeadIds: string[];
  /** Every conversation with a live short-term context: open leads' and anonymous website chats'. */
  contexts: { conversationId: string; patch: ConversationContextPatch }[];
}

export function buildWorld(options: { leads: number; episodes: number; contexts: number; seed: number; now?: number }): World {
  const now = options.now ?? Date.now();
  const random = mulberry32(options.seed);
  const leads = generatePopulation({ size: options.leads, seed: options.seed, idPrefix: 'bench-lead' });
  const historyCount = Math.round(leads.length * HISTORY_SHARE);
  const conversationOf = new Map(leads.map(({ lead }) => [lead.leadId, randomUUID()]));

  const leadEpisodes = new Map<string, EpisodeInput>();
  for (const synthetic of leads.slice(0, historyCount)) {
    leadEpisodes.set(synthetic.lead.leadId, episodeOf(synthetic, synthetic.lead.leadId, random, now));
  }
  const importedCount = Math.max(options.episodes - leadEpisodes.size, 0);
  const imported = generatePopulation({ size: importedCount, seed: options.seed + 1, idPrefix: 'imported' });
  const importedEpisodes = imported.map((synthetic) => episodeOf(synthetic, null, random, now));

  const openLeadIds = leads.slice(historyCount).map(({ lead }) => lead.leadId);
  const contexts: World['contexts'] = openLeadIds.slice(0, options.contexts).map((leadId) => ({
    conversationId: conversationOf.get(leadId)!,
    patch: {
      leadId,
      activeIntent: pickOne(random, ['evaluate_pricing', 'book_demo', 'compare_vendors', 'technical_question']),
      extractedSlots: {
        budget: integer(random, 5, 200) * 1_000,
        timeline: pickOne(random, ['this quarter', 'next quarter', 'this year', 'exploring']),
        teamSize: integer(random, 2, 400),
        currentTool: pickOne(random, ['spreadsheets', 'in-house tool', 'competitor', 'none']),
      },
      lastAgent: 'engagement-agent',
      pendingActions: random() < 0.5 ? ['send_case_study'] : ['follow_up', 'schedule_call'],
    },
  }));
  // The rest are website chats not (yet) tied to a lead: consolidation skips them.
  for (let i = contexts.length; i < options.contexts; i++) {
    contexts.push({
      conversationId: `web-chat-${String(i).padStart(6, '0')}`,
      patch: {
        activeIntent: pickOne(random, ['pricing_question', 'product_question', 'support_request']),
        extractedSlots: { pagesViewed: integer(random, 1, 12), referrer: pickOne(random, ['google', 'linkedin', 'newsletter']) },
        lastAgent: 'triage-agent',
        pendingActions: [],
      },
    });
  }
  return { leads, conversationOf, leadEpisodes, importedEpisodes, openLeadIds, contexts };
}

export function leadRows(world: World): Prisma.LeadCreateManyInput[] {
  return world.leads.map(({ lead }) => {
    const episode = world.leadEpisodes.get(lead.leadId);
    const settled = episode && (episode.outcome === 'CONVERTED' || episode.outcome === 'LOST') ? episode : null;
    return {
      id: lead.leadId,
      ...leadColumns(lead),
      modelVersion: 'cold-start-v1',
      outcome: settled ? (settled.outcome as 'CONVERTED' | 'LOST') : null,
      outcomeAt: settled ? settled.occurredAt : null,
    };
  });
}

export function conversationRows(world: World): Prisma.ConversationCreateManyInput[] {
  return [...world.conversationOf].map(([leadId, id]) => ({ id, leadId }));
}

/** One profile per lead: history leads with the aggregates of their past conversation, open leads fresh. */
export function profileRows(world: World, seed: number): Prisma.LeadProfileCreateManyInput[] {
  const random = mulberry32(seed);
  return world.leads.map(({ lead }) => {
    const episode = world.leadEpisodes.get(lead.leadId);
    const touches = episode?.channel ? integer(random, 1, 6) : 0;
    const opens = Math.min(touches, integer(random, 0, touches + 1));
    const clicks = Math.min(opens, integer(random, 0, 2));
    const replies = episode?.outcome === 'REPLIED' || episode?.outcome === 'CONVERTED' ? Math.min(1, touches) : 0;
    const scoredAt = episode?.occurredAt ?? new Date();
    return {
      leadId: lead.leadId,
      attributes: {
        region: pickOne(random, ['NA', 'EMEA', 'APAC', 'LATAM']),
        employees: integer(random, 5, 20_000),
        jobTitle: pickOne(random, ['VP Marketing', 'Head of Ops', 'IT Manager', 'Analyst', 'CFO', 'Engineer']),
      },
      touches,
      opens,
      clicks,
      replies,
      lastActivityAt: touches > 0 ? scoredAt : null,
      preferredChannel: episode?.channel ?? null,
      preferredHour: episode?.sentHour ?? null,
      scoreHistory: [{ score: integer(random, 5, 95), modelVersion: 'cold-start-v1', at: scoredAt.toISOString() }],
      consent: random() >= 0.03,
    };
  });
}

/**
 * A touchpoint, sometimes an open and a reply, then the outcome (the synthetic
 * lead's own draw) for each of `leadIds`: what a CRM sync would record.
 */
export function outcomeInteractions(world: World, leadIds: readonly string[], seed: number, now = Date.now()): InteractionInput[] {
  const random = mulberry32(seed);
  const byId = new Map(world.leads.map((synthetic) => [synthetic.lead.leadId, synthetic]));
  return leadIds.flatMap((leadId) => {
    const synthetic = byId.get(leadId);
    if (!synthetic) throw new Error(`Unknown lead ${leadId}`);
    const channel = pick(random, CHANNEL_MIX);
    const template = `${channel.toLowerCase()}-${pickOne(random, TEMPLATES)}`;
    const sentAt = now - 3 * DAY_MS - Math.floor(random() * DAY_MS);
    const inputs: InteractionInput[] = [{ leadId, type: 'TOUCHPOINT_SENT', channel, template, occurredAt: new Date(sentAt) }];
    if (channel === 'EMAIL' && random() < 0.5) inputs.push({ leadId, type: 'EMAIL_OPEN', channel, occurredAt: new Date(sentAt + 3_600_000) });
    if (random() < 0.2) inputs.push({ leadId, type: 'REPLY', channel, occurredAt: new Date(sentAt + DAY_MS) });
    inputs.push({ leadId, type: synthetic.converted ? 'CONVERTED' : 'LOST', occurredAt: new Date(now - DAY_MS) });
    return inputs;
  });
}

// ── Knowledge graph ─────────────────────────────────────────────────────────

const PAIN_TOPICS = [
  'Reporting Overhead',
  'Data Silos',
  'Vendor Sprawl',
  'Audit Preparation',
  'Onboarding Time',
  'Forecast Accuracy',
  'Churn Visibility',
  'Legacy Migration',
  'Approval Bottlenecks',
  'Shadow IT',
  'Inventory Accuracy',
  'Quality Escapes',
  'Claims Backlog',
  'Fraud Losses',
  'Release Delays',
];

/**
 * About three thousand facts beyond the seed: per industry 75 pain points, 40
 * more message themes, pains addressed by themes, segments and company sizes
 * responding to themes, and 20 more regulations. Weights are random in the
 * conventional ranges; evidence counts as if observed.
 */
export function extraFacts(seed: number): FactInput[] {
  const random = mulberry32(seed);
  const facts: FactInput[] = [];
  const fact = (subject: NodeInput, predicate: string, object: NodeInput, weight = 0.1 + 0.8 * random()): void => {
    facts.push({
      subject,
      predicate,
      object,
      weight: Math.round(weight * 10_000) / 10_000,
      evidenceCount: integer(random, 0, 500),
      provenance: 'bench-import',
    });
  };
  const themes = [
    ...Object.entries(MESSAGE_THEMES).map(([name, description]) => messageThemeNode(name, { description })),
    ...Array.from({ length: 40 }, (_, i) => messageThemeNode(`Theme ${String(i + 1).padStart(2, '0')}`, { description: 'imported theme' })),
  ];
  const painsByIndustry = new Map<Industry, NodeInput[]>();
  for (const industry of INDUSTRIES) {
    const pains = Array.from({ length: 75 }, (_, i) =>
      painPointNode(`${INDUSTRY_LABELS[industry]} ${PAIN_TOPICS[i % PAIN_TOPICS.length]} ${Math.floor(i / PAIN_TOPICS.length) + 1}`),
    );
    painsByIndustry.set(industry, pains);
    for (const pain of pains) {
      fact(industryNode(industry), HAS_PAIN_POINT, pain);
      for (const theme of sample(random, themes, 6)) fact(pain, ADDRESSED_BY, theme);
    }
    for (const persona of PERSONAS) {
      const segment = segmentNode(industry, persona);
      for (const pain of sample(random, pains, 30)) fact(segment, HAS_PAIN_POINT, pain);
      for (const theme of sample(random, themes, 20)) fact(segment, RESPONDS_TO, theme);
    }
  }
  const allPains = [...painsByIndustry.values()].flat();
  for (const persona of PERSONAS) for (const pain of sample(random, allPains, 40)) fact(personaNode(persona), HAS_PAIN_POINT, pain);
  for (const size of COMPANY_SIZES) for (const theme of sample(random, themes, 20)) fact(companySizeNode(size), RESPONDS_TO, theme);
  for (let i = 1; i <= 20; i++) {
    const regulation = regulationNode(`Regulation ${String(i).padStart(2, '0')}`, { jurisdiction: pickOne(random, ['US', 'EU', 'UK', 'CA']) });
    for (const industry of sample(random, INDUSTRIES, integer(random, 1, 2))) fact(industryNode(industry), SUBJECT_TO, regulation, 0.05 + 0.5 * random());
    for (const channel of sample(random, CHANNELS, 2)) fact(regulation, RESTRICTS_CHANNEL, channelNode(channel), 0.3 + 0.7 * random());
  }
  return facts;
}

/** `count` distinct elements, in random order. */
function sample<T>(random: Random, values: readonly T[], count: number): T[] {
  const pool = [...values];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, Math.min(count, pool.length));
}

/** Every (industry, size, persona or none, source or none) combination over the given sources. */
export function allSituations(sources: readonly (string | null)[]): Situation[] {
  const personas: (Persona | null)[] = [...PERSONAS, null];
  return INDUSTRIES.flatMap((industry: Industry) =>
    COMPANY_SIZES.flatMap((companySize: CompanySize) => personas.flatMap((persona) => sources.map((source) => ({ industry, companySize, persona, source })))),
  );
}

export function situationKey(situation: Situation): string {
  return JSON.stringify([situation.industry, situation.companySize, situation.persona, situation.source]);
}

/** The segment (industry × company size) a situation falls in, as the episode store's second stage reads it. */
export function segmentKey(situation: Pick<Situation, 'industry' | 'companySize'>): string {
  return `${situation.industry}/${situation.companySize}`;
}
