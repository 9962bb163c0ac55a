// Long-term memory in the specification's vocabulary: a lead's profile ↔
// GraphQL's LeadProfile (memory/store/long-term answers it,
// memory/retrieve/long-term reads it back).
import { z } from 'zod';
import type { LeadProfileFieldsFragment } from '../__generated__/operations.js';
import { count, dateTime, jsonObject, oneOfLabels } from './fields.js';
import { CHANNEL_LABELS } from './interaction-labels.js';
import { named } from './named-shapes.js';

const scoreHistoryEntrySchema = z.object({ score: z.number(), model_version: z.string(), at: dateTime() });

/** `behaviour` is derived from the lead's interactions by consolidation. */
export const leadProfileSchema = named(
  'LeadProfile',
  z.object({
    lead_id: z.string(),
    attributes: jsonObject().describe("Facts about the lead, the caller's own keys."),
    behaviour: z
      .object({
        touches: count(),
        opens: count(),
        clicks: count(),
        replies: count(),
        last_activity_at: dateTime().nullable().describe('The latest interaction; null before the first.'),
        preferred_channel: oneOfLabels(CHANNEL_LABELS).nullable().describe('email, sms, linkedin or call; null until the lead has responded.'),
        preferred_hour: z.int().min(0).max(23).nullable().describe('The UTC hour (0-23) the lead responds at most; null until it has responded.'),
      })
      .describe("Derived from the lead's interactions by consolidation."),
    score_history: z.array(scoreHistoryEntrySchema).describe('Triage scores, oldest first.'),
    consent: z.boolean(),
    do_not_contact: z.boolean(),
    updated_at: dateTime(),
  }),
);

export function toLeadProfile(profile: LeadProfileFieldsFragment): z.infer<typeof leadProfileSchema> {
  return {
    lead_id: profile.leadId,
    attributes: profile.attributes as Record<string, unknown>,
    behaviour: {
      touches: profile.touches,
      opens: profile.opens,
      clicks: profile.clicks,
      replies: profile.replies,
      last_activity_at: profile.lastActivityAt,
      preferred_channel: profile.preferredChannel && CHANNEL_LABELS[profile.preferredChannel],
      preferred_hour: profile.preferredHour,
    },
    score_history: profile.scoreHistory.map(({ score, modelVersion, at }) => ({ score, model_version: modelVersion, at })),
    consent: profile.consent,
    do_not_contact: profile.doNotContact,
    updated_at: profile.updatedAt,
  };
}
