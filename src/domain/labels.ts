// Human labels of the domain enums: the specification's vocabulary ("Mid-Market",
// "Campaign Qualified"). Used in explanations and by the REST/MCP shape mappers.
import type { TriageCategory } from '../db/generated/prisma/enums.js';
import type { CompanySize, Industry, Persona } from './lead.js';

export const INDUSTRY_LABELS: Record<Industry, string> = {
  TECHNOLOGY: 'Technology',
  HEALTHCARE: 'Healthcare',
  FINANCE: 'Finance',
  MANUFACTURING: 'Manufacturing',
};

export const COMPANY_SIZE_LABELS: Record<CompanySize, string> = {
  STARTUP: 'Startup',
  SMB: 'SMB',
  MID_MARKET: 'Mid-Market',
  ENTERPRISE: 'Enterprise',
};

export const PERSONA_LABELS: Record<Persona, string> = {
  DECISION_MAKER: 'Decision Maker',
  INFLUENCER: 'Influencer',
  END_USER: 'End User',
};

export const TRIAGE_CATEGORY_LABELS: Record<TriageCategory, string> = {
  CAMPAIGN_QUALIFIED: 'Campaign Qualified',
  GENERAL_INQUIRY: 'General Inquiry',
  COLD_LEAD: 'Cold Lead',
};
