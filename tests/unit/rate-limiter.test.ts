// The in-process fixed window: a budget per subject per wall-clock minute.
import { describe, expect, it } from 'vitest';
import { openSharedStores } from '../../src/app/stores.js';

const inProcess = openSharedStores({ redisUrl: undefined, keyPrefix: 'unused:', logger: { warn: () => {} } });

describe('in-process rate limiter', () => {
  it('allows `perMinute` operations per subject in a minute, then refuses until the next one', async () => {
    let now = Date.parse('2026-11-27T10:00:45.000Z');
    const limiter = inProcess.rateLimiter({ perMinute: 2, now: () => now });
    expect(limiter.backend).toBe('in-process');
    expect(await limiter.consume('ada')).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 15 });
    expect(await limiter.consume('ada')).toMatchObject({ allowed: true, remaining: 0 });
    expect(await limiter.consume('ada')).toEqual({ allowed: false, limit: 2, remaining: 0, resetSeconds: 15 });
    expect(await limiter.consume('grace')).toMatchObject({ allowed: true });
    now += 15_000;
    expect(await limiter.consume('ada')).toEqual({ allowed: true, limit: 2, remaining: 1, resetSeconds: 60 });
  });

  it('is off at 0', async () => {
    const limiter = inProcess.rateLimiter({ perMinute: 0 });
    expect(limiter.backend).toBe('off');
    for (let i = 0; i < 5; i++) expect((await limiter.consume('ada')).allowed).toBe(true);
  });
});
