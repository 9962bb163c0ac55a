-- Optimization → engagement: what a manager's approval of a campaign's optimization
-- changed in its engagement (paused arms, the approved channel split), read by
-- engagement for every lead of the campaign.

CREATE TABLE "CampaignEngagementPlan" (
    "campaignId" TEXT NOT NULL,
    "paused" JSONB NOT NULL DEFAULT '[]',
    "channelShares" JSONB,
    "channelStarts" JSONB NOT NULL DEFAULT '{}',
    "handoffId" UUID,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignEngagementPlan_pkey" PRIMARY KEY ("campaignId")
);

ALTER TABLE "CampaignEngagementPlan" ADD CONSTRAINT "CampaignEngagementPlan_campaignId_fkey"
    FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;
