// KPIs by the names marketers use (ROAS, CPL), not as enum words ("Cpl usd").
import type { Kpi } from '../../__generated__/graphql.ts';

const LABELS: Record<Kpi, string> = { CTR: 'CTR', CVR: 'CVR', CPL_USD: 'CPL', ROAS: 'ROAS' };

export const kpiLabel = (kpi: Kpi): string => LABELS[kpi];
