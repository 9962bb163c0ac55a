// A triage model history the way the learning stores it, written as rows: a promoted
// learned-v2 measured on recent outcomes, a newer learned-v3 that was not promoted
// and whose drift check found the market changing, and two drift episodes (one
// recovered, one open). For tests of what reads it: GraphQL, /metrics, the dashboard.
import type { PrismaClient } from '../../src/db/generated/prisma/client.js';

const DAY = 86_400_000;

/** A drift check as stored (JSON: dates as ISO strings). */
export function storedDriftCheck(state: 'STABLE' | 'DRIFTING', checkedAt: Date, changePointAt: Date | null, windowFrom: Date) {
  const drifting = state === 'DRIFTING';
  return {
    state,
    checkedAt: checkedAt.toISOString(),
    test: drifting
      ? { statistic: 31.5, degreesOfFreedom: 4, pValue: 0.0001, attribute: 'industry' }
      : { statistic: 6.2, degreesOfFreedom: 26, pValue: 0.62, attribute: null },
    windowOutcomes: 200,
    referenceOutcomes: 600,
    windowFrom: windowFrom.toISOString(),
    recentBrier: drifting ? 0.26 : 0.18,
    previousBrier: 0.18,
    recentLogLoss: drifting ? 0.74 : 0.53,
    previousLogLoss: 0.52,
    calibration: [
      { predicted: 0.2, observed: drifting ? 0.5 : 0.22, outcomes: 120 },
      { predicted: 0.7, observed: drifting ? 0.4 : 0.68, outcomes: 80 },
    ],
    inputStability: 0.31,
    detected: drifting,
    recovered: false,
    changePointAt: changePointAt?.toISOString() ?? null,
    changedAttributes: drifting ? ['industry'] : [],
  };
}

/** learned-v2's held-out calibration: its expected calibration error is (100·0.02 + 100·0.1 + 200·0.05) / 400 = 0.055. */
export const V2_CALIBRATION = [
  { predicted: 0.1, observed: 0.12, outcomes: 100 },
  { predicted: 0.5, observed: 0.4, outcomes: 100 },
  { predicted: 0.8, observed: 0.85, outcomes: 200 },
];

/** Writes learned-v2, learned-v3 and two episodes after learned-v1 (a real fit, whose model they reuse); returns the instants and rows written. */
export async function writeDriftingHistory(prisma: PrismaClient, now = Date.now()) {
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY);
  const first = await prisma.triageModelVersion.findUniqueOrThrow({ where: { version: 'learned-v1' } });
  const instants = { trainingFrom: at(200), trainingTo: at(1), v2FittedAt: at(2), v3FittedAt: at(0.5), changePointAt: at(12), windowFrom: at(10) };
  const v2 = await prisma.triageModelVersion.create({
    data: {
      version: 'learned-v2',
      sequence: first.sequence + 1,
      model: first.model as object,
      outcomes: 800,
      conversions: 260,
      heldOutOutcomes: 400,
      heldOutAuc: 0.81,
      heldOutBrier: 0.18,
      heldOutLogLoss: 0.52,
      calibration: V2_CALIBRATION,
      trainingFrom: instants.trainingFrom,
      trainingTo: instants.trainingTo,
      halfLifeDays: 90,
      effectiveOutcomes: 612.5,
      promoted: true,
      promotion: {
        promoted: true,
        reason: 'lower log-loss on recent outcomes',
        comparedOutcomes: 798,
        candidateLogLoss: 0.52,
        currentLogLoss: 0.6,
        comparedWith: 'learned-v1',
      },
      drift: storedDriftCheck('STABLE', instants.v2FittedAt, null, instants.windowFrom),
      createdAt: instants.v2FittedAt,
    },
  });
  // Newer, but worse on recent outcomes: kept for audit, never scoring leads. Its drift check found the change.
  const v3 = await prisma.triageModelVersion.create({
    data: {
      version: 'learned-v3',
      sequence: first.sequence + 2,
      model: first.model as object,
      outcomes: 900,
      conversions: 300,
      heldOutOutcomes: 450,
      heldOutAuc: 0.7,
      heldOutBrier: 0.22,
      heldOutLogLoss: 0.63,
      calibration: [],
      trainingFrom: instants.trainingFrom,
      trainingTo: instants.v3FittedAt,
      halfLifeDays: 90,
      changePointAt: instants.changePointAt,
      changedAttributes: ['industry'],
      effectiveOutcomes: 301.25,
      promoted: false,
      promotion: {
        promoted: false,
        reason: 'higher log-loss on recent outcomes',
        comparedOutcomes: 100,
        candidateLogLoss: 0.63,
        currentLogLoss: 0.6,
        comparedWith: 'learned-v2',
      },
      drift: storedDriftCheck('DRIFTING', instants.v3FittedAt, instants.changePointAt, instants.windowFrom),
      createdAt: instants.v3FittedAt,
    },
  });
  const recovered = await prisma.triageDriftEpisode.create({
    data: {
      detectedAt: at(60),
      detectedByVersion: 'learned-v1',
      changePointAt: at(70),
      statistic: 40,
      degreesOfFreedom: 8,
      pValue: 0.00001,
      attribute: null,
      changedAttributes: ['companySize', 'email', 'industry', 'persona', 'phone', 'source'],
      windowOutcomes: 200,
      referenceOutcomes: 300,
      outcomesSinceChange: 150,
      recoveredAt: at(40),
      recoveredByVersion: 'learned-v2',
      outcomesToRecover: 420,
    },
  });
  const open = await prisma.triageDriftEpisode.create({
    data: {
      detectedAt: instants.v3FittedAt,
      detectedByVersion: 'learned-v3',
      changePointAt: instants.changePointAt,
      statistic: 31.5,
      degreesOfFreedom: 8,
      pValue: 0.0001,
      attribute: 'industry',
      changedAttributes: ['industry'],
      windowOutcomes: 200,
      referenceOutcomes: 600,
      outcomesSinceChange: 120,
    },
  });
  return { instants, v2, v3, episodes: { recovered, open } };
}
