import type { Redis } from 'ioredis';

/**
 * Deletes every key matching `pattern`, a page of SCAN at a time (never KEYS, which blocks a
 * shared Redis), with UNLINK so that Redis frees the memory in the background.
 */
export async function deleteByPattern(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}
