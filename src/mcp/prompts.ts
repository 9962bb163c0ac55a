// Prompts that teach an LLM agent to use Baton well: which tools and resources
// a task needs, in what order, and what to report back.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { GetPromptResult } from '@modelcontextprotocol/sdk/types.js';
import { safeId, safeText, TEXT_LIMITS } from '../domain/input-rules.js';
import { COMPANY_SIZE_LABELS, INDUSTRY_LABELS, PERSONA_LABELS } from '../domain/labels.js';

const labels = (table: Record<string, string>) =>
  Object.values(table)
    .map((label) => `"${label}"`)
    .join(', ');

export function registerPrompts(server: McpServer): void {
  server.registerPrompt(
    'triage-inbound-email',
    {
      title: 'Triage this inbound email',
      description: 'Turns an inbound email into a lead, triages it with Baton, and explains the verdict and the next step.',
      argsSchema: {
        email: safeText(TEXT_LIMITS.longText).describe('The email as received: headers (at least From) and body.'),
        source: safeText().optional().describe('Where it came in, e.g. "contact-form" or "webinar-follow-up"; "inbound_email" when omitted.'),
      },
    },
    ({ email, source }) =>
      userMessage(
        [
          'An inbound email arrived. Triage it with Baton:',
          '',
          // Never the address as the id: Baton stores the email sealed, but an id is stored, keyed on and logged in clear.
          '1. Extract the lead: lead_id ("msg:" and the Message-ID header without its angle brackets; without one, "msg:" and a random 16-character ' +
            `hex string; never the sender's address or name), email, industry (one of ${labels(INDUSTRY_LABELS)}), ` +
            `company_size (one of ${labels(COMPANY_SIZE_LABELS)}), persona if you can tell (one of ${labels(PERSONA_LABELS)}), source "${source ?? 'inbound_email'}". ` +
            'Infer industry and size from the signature, the domain and the text; if you cannot, say so rather than guess wildly.',
          '2. Call the `triage_lead` tool with `{ "lead_data": { … } }`.',
          '3. Store what the email says the sender wants with `store_conversation_memory` (conversation_id from the result, active_intent, extracted_slots such as budget, timeline, product).',
          '4. Report: the category, the score and confidence, the reasoning in one sentence, the agent it was assigned to, and the next step you recommend ' +
            '(for "Campaign Qualified", offer to run `execute_engagement`).',
          '',
          'The email:',
          '"""',
          email,
          '"""',
        ].join('\n'),
      ),
  );

  server.registerPrompt(
    'review-campaign',
    {
      title: 'Review a campaign',
      description: "Analyzes a campaign's performance with Baton's optimization agent and explains the recommendations and their evidence.",
      argsSchema: { campaign_id: safeId().describe('The campaign to review.') },
    },
    ({ campaign_id }) =>
      userMessage(
        [
          `Review campaign ${campaign_id} with Baton:`,
          '',
          `1. Read the resource baton://campaigns/${encodeURIComponent(campaign_id)}/metrics (or call \`get_campaign_metrics\`) to see what data there is.`,
          `2. Call \`analyze_campaign\` with \`{ "campaign_id": "${campaign_id}" }\`.`,
          '3. Report the KPIs (CTR, CVR, CPL, ROAS) overall and for the best and worst channel and variant; each recommendation with its confidence and ' +
            'the evidence behind it (sample sizes, p-values, posterior probabilities); any breach, and whether it was escalated to a manager.',
          'Do not present an insufficient_data recommendation as a finding: say what data is missing.',
        ].join('\n'),
      ),
  );

  server.registerPrompt(
    'plan-follow-up',
    {
      title: 'Plan the next touch for a lead',
      description: 'Reads what Baton remembers about a lead and proposes the next touchpoint, respecting consent and do-not-contact.',
      argsSchema: { lead_id: safeId().describe('The lead.') },
    },
    ({ lead_id }) =>
      userMessage(
        [
          `Plan the next touch for lead ${lead_id}:`,
          '',
          `1. Read baton://leads/${encodeURIComponent(lead_id)} (or call \`get_lead_profile\`): behaviour (touches, opens, clicks, replies, preferred channel and hour), score history, consent, do-not-contact.`,
          '2. If consent is false or do_not_contact is true, stop: say so and propose nothing.',
          '3. Otherwise propose one touchpoint: channel, time (the preferred hour, UTC), and a short message that builds on what the lead responded to.',
          "4. When the lead answers later, record it with `log_interaction` (reply, meeting_booked, converted or lost): outcomes teach Baton's triage.",
        ].join('\n'),
      ),
  );
}

function userMessage(text: string): GetPromptResult {
  return { messages: [{ role: 'user', content: { type: 'text', text } }] };
}
