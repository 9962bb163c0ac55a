// Long-term memory in the specification's vocabulary: a lead's profile ↔
// GraphQL's LeadProfileInput and LeadProfile.
import { z } from 'zod';
import type { LeadProfileFieldsFragment, LeadProfileInput } from '../__generated__/operations.js';
import { CHANNEL_LABELS } from './interaction.js';
import { issuePaths, snakeCase } from './issue-paths.js';
import { array, boolean, count, dateTime, integer, freeformObject, nullable, number, object, oneOfStrings, string } from './json-schema.js';
import { expected, jsonObject, strictParams, text } from './params.js';

/** What to write. Omitted fields keep their stored value; attributes merge key by key (an attribute set to null is removed). */
export const profileDataSchema = strictParams({
  attributes: jsonObject().optional().describe("Facts about the lead, the caller's own keys."),
  consent: z.boolean(expected('true or false')).optional().describe('False withdraws consent to be contacted.'),
  do_not_contact: z.boolean(expected('true or false')).optional(),
});

/** memory/store/long-term params. */
export const storeLongTermParamsSchema = strictParams({
  lead_id: text().describe('A lead Baton knows.'),
  profile: profileDataSchema,
});

/** memory/retrieve/long-term params. */
export const retrieveLongTermParamsSchema = strictParams({ lead_id: text().describe('A lead Baton knows.') });

export type StoreLongTermParams = z.infer<typeof storeLongTermParamsSchema>;

/**
 * memory/store/long-term and memory/retrieve/long-term result (retrieve: or null
 * when the lead has no profile yet). `behaviour` is derived from the lead's
 * interactions by consolidation; dates are ISO 8601 strings.
 */
export interface LeadProfileShape {
  lead_id: string;
  /** A JSON object of the caller's own keys. */
  attributes: Record<string, unknown>;
  behaviour: {
    touches: number;
    opens: number;
    clicks: number;
    replies: number;
    last_activity_at: string | null;
    /** email, sms, linkedin or call. */
    preferred_channel: string | null;
    /** The UTC hour (0-23) the lead responds at most. */
    preferred_hour: number | null;
  };
  /** Triage scores, oldest first. */
  score_history: ScoreHistoryEntryShape[];
  consent: boolean;
  do_not_contact: boolean;
  updated_at: string;
}

export interface ScoreHistoryEntryShape {
  score: number;
  model_version: string;
  /** ISO 8601. */
  at: string;
}

export function toProfileVariables(params: StoreLongTermParams) {
  const { attributes, consent, do_not_contact: doNotContact } = params.profile;
  const input: LeadProfileInput = {};
  if (attributes !== undefined) input.attributes = attributes;
  if (consent !== undefined) input.consent = consent;
  if (doNotContact !== undefined) input.doNotContact = doNotContact;
  return { leadId: params.lead_id, input };
}

export function toLeadProfile(profile: LeadProfileFieldsFragment): LeadProfileShape {
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
    score_history: (Array.isArray(profile.scoreHistory) ? profile.scoreHistory.map(snakeCaseKeys) : []) as ScoreHistoryEntryShape[],
    consent: profile.consent,
    do_not_contact: profile.doNotContact,
    updated_at: profile.updatedAt,
  };
}

/** Score history entries are Baton's own JSON ({ score, modelVersion, at }): snake-case their keys. */
function snakeCaseKeys(entry: unknown): unknown {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return entry;
  return Object.fromEntries(Object.entries(entry).map(([key, value]) => [snakeCase(key), value]));
}

export const leadProfilePath = issuePaths({
  leadId: 'lead_id',
  input: 'profile',
  'input.attributes': 'profile.attributes',
  'input.consent': 'profile.consent',
  'input.doNotContact': 'profile.do_not_contact',
});

/** LeadProfileShape. */
export const LEAD_PROFILE_JSON_SCHEMA = object(
  {
    lead_id: string(),
    attributes: freeformObject("Facts about the lead, the caller's own keys."),
    behaviour: object(
      {
        touches: count(),
        opens: count(),
        clicks: count(),
        replies: count(),
        last_activity_at: nullable(dateTime()),
        preferred_channel: nullable(oneOfStrings(Object.values(CHANNEL_LABELS))),
        preferred_hour: nullable({ ...integer('The UTC hour (0-23) the lead responds at most.'), minimum: 0, maximum: 23 }),
      },
      { description: "Derived from the lead's interactions by consolidation." },
    ),
    score_history: array(object({ score: number(), model_version: string(), at: dateTime() }), 'Triage scores, oldest first.'),
    consent: boolean(),
    do_not_contact: boolean(),
    updated_at: dateTime(),
  },
  { title: 'LeadProfile' },
);
