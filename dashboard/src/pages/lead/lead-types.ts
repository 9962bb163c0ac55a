// The lead as this page's query reads it, and its parts, for the page's sections.
import type { LeadPageLeadQuery } from '../../__generated__/graphql.ts';

export type PageLead = NonNullable<LeadPageLeadQuery['lead']>;
export type PageHandoff = PageLead['handoffs'][number];
