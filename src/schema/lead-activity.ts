// leadActivity: leads received per hour or per day over a window, for a chart.
import { z } from 'zod';
import { type ActivityBucket, type ActivityPoint, bucketCount, type LeadActivity, leadActivity } from '../agents/reporting/lead-activity.js';
import { builder } from './builder.js';
import { analyticsWindow } from './handoff-analytics.js';

/** Enough for 31 days by the hour or a year and a half by the day. */
const MAX_BUCKETS = 744;

const ActivityBucketEnum = builder.enumType('ActivityBucket', {
  values: { HOUR: { description: 'UTC hours.' }, DAY: { description: 'UTC days.' } } as const,
});

const ActivityPointRef = builder.objectRef<ActivityPoint>('LeadActivityPoint').implement({
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime', description: "The bucket's first instant." }),
    leads: t.exposeInt('leads', { description: 'Leads received in the bucket.' }),
  }),
});

const LeadActivityRef = builder.objectRef<LeadActivity>('LeadActivity').implement({
  fields: (t) => ({
    since: t.expose('since', { type: 'DateTime' }),
    until: t.expose('until', { type: 'DateTime' }),
    bucket: t.expose('bucket', { type: ActivityBucketEnum }),
    points: t.expose('points', {
      type: [ActivityPointRef],
      description: 'One per bucket the window touches, oldest first, zeros included (the first and last may be partly outside the window).',
    }),
  }),
});

builder.queryField('leadActivity', (t) =>
  t.field({
    type: LeadActivityRef,
    description: `Leads received in [since, until) per bucket; the last 24 hours by the hour by default. At most ${MAX_BUCKETS} buckets.`,
    authScopes: { read: true },
    args: {
      since: t.arg({ type: 'DateTime' }),
      until: t.arg({ type: 'DateTime' }),
      bucket: t.arg({ type: ActivityBucketEnum, defaultValue: 'HOUR' }),
    },
    validate: z
      .looseObject({ since: z.date().nullish(), until: z.date().nullish(), bucket: z.enum(['HOUR', 'DAY']).nullish() })
      .superRefine((args, context) => {
        const window = analyticsWindow(args.since, args.until);
        if (window.since >= window.until) context.addIssue({ code: 'custom', path: ['since'], message: 'must be before until' });
        else if (bucketCount(window, args.bucket ?? 'HOUR') > MAX_BUCKETS) {
          context.addIssue({ code: 'custom', path: ['since'], message: `spans more than ${MAX_BUCKETS} buckets: choose a later since or bucket DAY` });
        }
      }),
    resolve: (_root, { since, until, bucket }, { services }) =>
      leadActivity(services.prisma, analyticsWindow(since, until), (bucket ?? 'HOUR') as ActivityBucket),
  }),
);
