// The optional [since, until) window the dashboard's counting fields take: checked
// once here, so every such field refuses a backwards window the same way.
import { z } from 'zod';

export const optionalWindow = z.looseObject({ since: z.date().nullish(), until: z.date().nullish() }).superRefine(({ since, until }, context) => {
  if (since && until && since >= until) context.addIssue({ code: 'custom', path: ['since'], message: 'must be before until' });
});
