// A test's Baton processes keep their keys in a shared Redis under a prefix of
// the test's own (REDIS_KEY_PREFIX); it deletes them when it is done.
import { Redis } from 'ioredis';

export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    await redis.quit();
  }
}
