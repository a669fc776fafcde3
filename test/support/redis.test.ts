import { afterEach, describe, expect, it } from 'vitest';
import { type TestRedis, testRedis } from './redis.js';

describe('test Redis', () => {
  let t: TestRedis | undefined;
  afterEach(async () => {
    await t?.cleanup();
  });

  it('answers and cleans up only its own prefix', async () => {
    t = await testRedis();
    expect(await t.redis.ping()).toBe('PONG');
    await t.redis.set(`${t.prefix}:a`, '1');
    const other = `other-${t.prefix}:b`;
    await t.redis.set(other, '1');
    const { redis, prefix } = t;
    await t.cleanup();
    t = undefined;
    const check = await testRedis();
    try {
      expect(await check.redis.exists(`${prefix}:a`)).toBe(0);
      expect(await check.redis.exists(other)).toBe(1);
      await check.redis.del(other);
    } finally {
      await check.cleanup();
    }
    expect(redis.status).toBe('end');
  });
});
