// One bin of a calibration curve, as a version's held-out quality and a drift check report it.
import type { CalibrationBin } from '../statistics/classification-metrics.js';
import { builder } from './builder.js';

export const CalibrationBinRef = builder.objectRef<CalibrationBin>('CalibrationBin').implement({
  description:
    'Outcomes whose predicted conversion probability fell in one decile: the mean predicted probability against the share that converted. A calibrated model has observed ≈ predicted in every bin.',
  fields: (t) => ({
    predicted: t.exposeFloat('predicted', { description: 'Mean predicted conversion probability of the outcomes in the bin (0 to 1).' }),
    observed: t.exposeFloat('observed', { description: 'Share of them that converted (0 to 1).' }),
    outcomes: t.exposeInt('outcomes', { description: 'Outcomes in the bin: the fewer, the noisier observed is.' }),
  }),
});
