// The overview query's result, as the panels take it.
import type { OverviewPageQuery } from '../../__generated__/graphql.ts';

export type OverviewData = OverviewPageQuery;
