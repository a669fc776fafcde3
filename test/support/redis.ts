import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import { deleteByPattern } from '../../src/infra/redis-keys.js';

/**
 * A connection plus a key prefix of the test's own. Every key a test writes lives under the
 * prefix and is deleted by `cleanup()`, so tests never see each other's data, and a shared
 * Redis (REDIS_URL) is left as it was found.
 */
export interface TestRedis {
  readonly redis: Redis;
  readonly url: string;
  readonly prefix: string;
  cleanup(): Promise<void>;
}

export async function testRedis(): Promise<TestRedis> {
  const url = inject('redisUrl');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const prefix = `certops-test-${randomUUID().slice(0, 8)}`;
  return {
    redis,
    url,
    prefix,
    async cleanup() {
      await deleteByPattern(redis, `${prefix}:*`);
      await redis.quit();
    },
  };
}

export { deleteByPattern };
