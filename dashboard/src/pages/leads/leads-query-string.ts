// The list's state lives in the address (filters, order, page), so a view can be
// shared as a link and the back button steps through it. Unknown or malformed
// values are dropped rather than sent: the API would refuse them.
import type { LeadFilter, LeadOrder, LeadsPageLeadsQueryVariables } from '../../__generated__/graphql.ts';
import { CATEGORIES, COMPANY_SIZES, INDUSTRIES, OUTCOMES, PERSONAS } from './lead-values.ts';

export const PAGE_SIZE = 20;
export const ORDERS: readonly LeadOrder[] = ['RECENT', 'SCORE', 'LAST_ACTIVITY', 'CATEGORY', 'INDUSTRY'];

/** The address's names for the filter fields (short, readable in a shared link). */
export const FILTER_PARAMS = ['category', 'industry', 'size', 'persona', 'outcome', 'source', 'campaign', 'scoreMin', 'scoreMax'] as const;
export type FilterParam = (typeof FILTER_PARAMS)[number];

export interface LeadsView {
  filters: Partial<Record<FilterParam, string>>;
  order: LeadOrder;
  after?: string;
  before?: string;
}

const SCORE = /^(100|[1-9]?[0-9])$/;

const ALLOWED: Partial<Record<FilterParam, readonly string[]>> = {
  category: CATEGORIES,
  industry: INDUSTRIES,
  size: COMPANY_SIZES,
  persona: PERSONAS,
  outcome: OUTCOMES,
};

export function parseLeadsView(search: string): LeadsView {
  const params = new URLSearchParams(search);
  const filters: LeadsView['filters'] = {};
  for (const name of FILTER_PARAMS) {
    const value = params.get(name)?.trim();
    if (value && (ALLOWED[name]?.includes(value) ?? true) && (!name.startsWith('score') || SCORE.test(value))) filters[name] = value;
  }
  const sort = params.get('sort');
  const order = ORDERS.find((candidate) => candidate === sort) ?? 'RECENT';
  const after = params.get('after') ?? undefined;
  const before = after ? undefined : (params.get('before') ?? undefined);
  return { filters, order, after, before };
}

export function leadsViewSearch(view: LeadsView): string {
  const params = new URLSearchParams();
  for (const name of FILTER_PARAMS) {
    const value = view.filters[name];
    if (value) params.set(name, value);
  }
  if (view.order !== 'RECENT') params.set('sort', view.order);
  if (view.after) params.set('after', view.after);
  else if (view.before) params.set('before', view.before);
  const search = params.toString();
  return search ? `?${search}` : '';
}

export function leadsQueryVariables(view: LeadsView): LeadsPageLeadsQueryVariables {
  const { filters } = view;
  const filter: LeadFilter = {
    category: filters.category as LeadFilter['category'],
    industry: filters.industry as LeadFilter['industry'],
    companySize: filters.size as LeadFilter['companySize'],
    persona: filters.persona as LeadFilter['persona'],
    outcome: filters.outcome as LeadFilter['outcome'],
    source: filters.source,
    campaignId: filters.campaign,
    scoreMin: filters.scoreMin === undefined ? undefined : Number(filters.scoreMin),
    scoreMax: filters.scoreMax === undefined ? undefined : Number(filters.scoreMax),
  };
  const page = view.before ? { last: PAGE_SIZE, before: view.before } : { first: PAGE_SIZE, after: view.after };
  return { ...page, filter, orderBy: view.order };
}
