// The values a lead's enum fields take, as the API names them, for filters and
// forms (the generated types are unions: the lists are written once, here, and
// the compiler checks each against its type).
import type { CompanySize, Industry, LeadOutcome, Persona, TriageCategory } from '../../__generated__/graphql.ts';

export const CATEGORIES: readonly TriageCategory[] = ['CAMPAIGN_QUALIFIED', 'COLD_LEAD', 'GENERAL_INQUIRY'];
export const INDUSTRIES: readonly Industry[] = ['TECHNOLOGY', 'HEALTHCARE', 'FINANCE', 'MANUFACTURING'];
export const COMPANY_SIZES: readonly CompanySize[] = ['STARTUP', 'SMB', 'MID_MARKET', 'ENTERPRISE'];
export const PERSONAS: readonly Persona[] = ['DECISION_MAKER', 'INFLUENCER', 'END_USER'];
export const OUTCOMES: readonly LeadOutcome[] = ['CONVERTED', 'LOST'];
