// The arms of the engagement bandit: every (channel, template) pair the playbook
// can send to a lead of a given tier and persona, on the channels the lead can be
// reached on. A template id names its variant completely:
// `<tier>-<persona offer>-<channel>-<copy variant>`, e.g. premium-business-case-email-a.
import type { Channel, TriageCategory } from '../../db/generated/prisma/enums.js';
import type { LeadInput, Persona } from '../../domain/lead.js';
import { COPY_VARIANTS, PERSONA_OFFERS, TIER_PLAYS, type CopyVariant, type EngagementTier } from './playbook.js';

export interface VariantArm {
  /** The arm's id is its template id. */
  id: string;
  channel: Channel;
  template: string;
  variant: CopyVariant;
  tier: EngagementTier;
}

/** Email needs an address, SMS and calls a phone number; LinkedIn is always there to search. */
export function reachableChannels(lead: Pick<LeadInput, 'email' | 'phone'>): Channel[] {
  const channels: Channel[] = [];
  if (lead.email) channels.push('EMAIL');
  if (lead.phone) channels.push('SMS', 'CALL');
  channels.push('LINKEDIN');
  return channels;
}

export function templateId(category: TriageCategory, persona: Persona | null | undefined, channel: Channel, variant: CopyVariant): string {
  return `${TIER_PLAYS[category].tier}-${PERSONA_OFFERS[persona ?? 'UNKNOWN'].templateKey}-${channel.toLowerCase()}-${variant}`;
}

/** The template of a follow-up step of a sequence that started with `template`. */
export function followUpTemplate(template: string, step: number): string {
  return `${template}-followup-${step - 1}`;
}

/** The arms for this lead: its tier's channels it is reachable on (in the playbook's order), each copy variant. */
export function segmentArms(lead: Pick<LeadInput, 'persona' | 'email' | 'phone'>, category: TriageCategory): VariantArm[] {
  const reachable = new Set(reachableChannels(lead));
  return armsOf(
    category,
    lead.persona,
    TIER_PLAYS[category].channels.filter((channel) => reachable.has(channel)),
  );
}

/** Every first-touch template a lead of this persona may get, whatever its tier and contact data: what evidence is read for. */
export function personaTemplates(persona: Persona | null | undefined): string[] {
  return (Object.keys(TIER_PLAYS) as TriageCategory[]).flatMap((category) =>
    armsOf(category, persona, TIER_PLAYS[category].channels).map((arm) => arm.template),
  );
}

function armsOf(category: TriageCategory, persona: Persona | null | undefined, channels: readonly Channel[]): VariantArm[] {
  return channels.flatMap((channel) =>
    COPY_VARIANTS.map((variant) => {
      const template = templateId(category, persona, channel, variant);
      return { id: template, channel, template, variant, tier: TIER_PLAYS[category].tier };
    }),
  );
}
