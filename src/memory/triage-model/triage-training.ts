// Fits the triage model to the outcomes recorded so far: Bayesian logistic
// regression whose prior is the cold-start model (so with no outcomes it *is* the
// cold-start model, and the weight of evidence grows with every outcome).
// Leads are summarized as binomial counts per distinct feature set, so fitting
// costs the same at a thousand leads or a million.
import { createHash } from 'node:crypto';
import type { CompanySize, Industry, Persona, Prisma, PrismaClient } from '../../db/generated/prisma/client.js';
import { fitBayesianLogistic, type BinomialObservation } from '../../statistics/bayesian-logistic.js';
import { COLD_START_MODEL, featureKeys, type TriageModel } from '../../domain/triage-model.js';

export interface TrainingData {
  observations: BinomialObservation[];
  outcomes: number;
  conversions: number;
  /** Identifies the data: retraining on an unchanged fingerprint would change nothing. */
  fingerprint: string;
}

interface OutcomeGroup {
  industry: Industry;
  companySize: CompanySize;
  persona: Persona | null;
  source: string | null;
  hasEmail: boolean;
  hasPhone: boolean;
  trials: number;
  successes: number;
}

export async function loadTrainingData(db: PrismaClient | Prisma.TransactionClient): Promise<TrainingData> {
  const groups = await db.$queryRaw<OutcomeGroup[]>`
    SELECT "industry", "companySize", "persona", "source",
           ("email" IS NOT NULL) AS "hasEmail", ("phone" IS NOT NULL) AS "hasPhone",
           count(*)::int AS "trials", (count(*) FILTER (WHERE "outcome" = 'CONVERTED'))::int AS "successes"
    FROM "Lead" WHERE "outcome" IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6`;
  // Raw sources that normalize alike ("Paid Search", "paid_search") are one feature set.
  const merged = new Map<string, BinomialObservation>();
  for (const group of groups) {
    const features = featureKeys({
      leadId: '',
      industry: group.industry,
      companySize: group.companySize,
      persona: group.persona,
      source: group.source,
      email: group.hasEmail ? 'present' : null,
      phone: group.hasPhone ? 'present' : null,
    });
    const key = features.join('|');
    const existing = merged.get(key);
    merged.set(key, {
      features,
      trials: (existing?.trials ?? 0) + group.trials,
      successes: (existing?.successes ?? 0) + group.successes,
    });
  }
  const observations = [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, observation]) => observation);
  const outcomes = observations.reduce((sum, o) => sum + o.trials, 0);
  const conversions = observations.reduce((sum, o) => sum + o.successes, 0);
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(observations.map((o) => [o.features, o.trials, o.successes])))
    .digest('hex')
    .slice(0, 16);
  return { observations, outcomes, conversions, fingerprint };
}

/** The posterior given the data, as a model named `version`. */
export function fitTriageModel(data: TrainingData, version: string, prior: TriageModel = COLD_START_MODEL): TriageModel {
  const priorVariance = prior.uncertainty.priorVariance;
  const posterior = fitBayesianLogistic(data.observations, { mean: prior.weights, variance: priorVariance });
  return {
    version,
    weights: posterior.weights,
    uncertainty: { priorVariance, posterior: { features: posterior.features, covariance: posterior.covariance } },
    evidence: { outcomes: data.outcomes, conversions: data.conversions },
  };
}
