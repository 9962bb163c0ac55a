// A campaign's KPIs straight from its stored snapshots (Campaign.kpis), for a
// dashboard's list and charts: the same figures a review computes, readable before
// any review ran, and zeros and nulls (not an error) for a campaign without metrics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaign, losingWeeks } from '../../support/campaign-fixtures.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

const KPIS = `query CampaignKpis($id: ID!) {
  campaign(id: $id) {
    optimizations { id }
    kpis {
      overall { impressions clicks conversions spendUsd revenueUsd ctr cvr cplUsd roas }
      byPeriod { periodStart periodEnd spendUsd ctr cvr cplUsd roas }
      byChannel { channel spendUsd roas }
      byVariant { variant conversions }
    }
  }
}`;

interface Kpis {
  campaign: {
    optimizations: { id: string }[];
    kpis: {
      overall: Record<string, number | null>;
      byPeriod: { periodStart: string; spendUsd: number; ctr: number; cvr: number; cplUsd: number; roas: number }[];
      byChannel: { channel: string; spendUsd: number; roas: number }[];
      byVariant: { variant: string; conversions: number }[];
    };
  };
}

describe('Campaign.kpis', () => {
  it('computes the KPIs of the stored snapshots without a review', async () => {
    const id = await createCampaign(baton, losingWeeks());
    const { body } = await baton.graphql<Kpis, { id: string }>(KPIS, { id }, { token: await baton.token('viewer') });
    expect(body.errors).toBeUndefined();
    const { optimizations, kpis } = body.data!.campaign;
    expect(optimizations).toEqual([]);
    // Eight weeks of two channels, each 200,000 impressions, 5,000 clicks, 250 conversions, $10,000 for $5,000.
    expect(kpis.overall).toEqual({
      impressions: 3_200_000,
      clicks: 80_000,
      conversions: 4_000,
      spendUsd: 160_000,
      revenueUsd: 80_000,
      ctr: 0.025,
      cvr: 0.05,
      cplUsd: 40,
      roas: 0.5,
    });
    expect(kpis.byPeriod).toHaveLength(8);
    expect(kpis.byPeriod[0]).toMatchObject({ periodStart: '2026-09-07T00:00:00.000Z', spendUsd: 20_000, ctr: 0.025, cvr: 0.05, cplUsd: 40, roas: 0.5 });
    expect(kpis.byPeriod.map((period) => period.periodStart)).toEqual([...kpis.byPeriod.map((period) => period.periodStart)].sort());
    expect(kpis.byChannel).toEqual([
      { channel: 'search', spendUsd: 80_000, roas: 0.5 },
      { channel: 'social', spendUsd: 80_000, roas: 0.5 },
    ]);
    expect(kpis.byVariant).toEqual([{ variant: 'default', conversions: 4_000 }]);
  });

  it('is zeros and nulls for a campaign without metrics', async () => {
    const id = await createCampaign(baton);
    const { body } = await baton.graphql<Kpis, { id: string }>(KPIS, { id });
    expect(body.errors).toBeUndefined();
    expect(body.data!.campaign.kpis).toEqual({
      overall: { impressions: 0, clicks: 0, conversions: 0, spendUsd: 0, revenueUsd: 0, ctr: null, cvr: null, cplUsd: null, roas: null },
      byPeriod: [],
      byChannel: [],
      byVariant: [],
    });
  });
});
