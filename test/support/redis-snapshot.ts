import type { Redis } from 'ioredis';
import { expect } from 'vitest';

/**
 * Every state key under the store prefix with its contents (TTLs ignored). Left out: `<prefix>:kv:*`,
 * adapter bookkeeping that is not state (locale cache, seen event ids, delivered-DM markers).
 */
export async function snapshot(redis: Redis, prefix: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      if (key.startsWith(`${prefix}:kv:`)) continue;
      out[key] = await dump(redis, key);
    }
  } while (cursor !== '0');
  // SCAN order changes when Redis rehashes (e.g. after a cache key is added): sort, so that two
  // snapshots of the same state compare equal however they are serialized.
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Every key matching `pattern` and everything in it, as one text: for tests that search what
 * was stored for something that must never be there (a private key, a secret).
 */
export async function storedText(redis: Redis, pattern: string): Promise<string> {
  const out: string[] = [];
  for (const key of await scanKeys(redis, pattern)) out.push(key, await dump(redis, key));
  return out.join('\n');
}

async function dump(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return `s:${await redis.get(key)}`;
    case 'hash': {
      const h = await redis.hgetall(key);
      return `h:${JSON.stringify(Object.entries(h).sort())}`;
    }
    case 'set':
      return `S:${JSON.stringify((await redis.smembers(key)).sort())}`;
    case 'zset':
      return `z:${JSON.stringify(await redis.zrange(key, '0', '-1', 'WITHSCORES'))}`;
    case 'list':
      return `l:${JSON.stringify(await redis.lrange(key, 0, -1))}`;
    case 'stream':
      return `x:${JSON.stringify(await redis.xrange(key, '-', '+'))}`;
    default:
      return type;
  }
}

/** Each application and certificate is in exactly the status/state index its entity names. */
export async function expectIndexesAgree(redis: Redis, prefix: string): Promise<void> {
  for (const [kind, field, idx] of [
    ['app', 'status', 'idx:app:status'],
    ['cert', 'state', 'idx:cert:state'],
  ] as const) {
    const entities = await scanKeys(redis, `${prefix}:${kind}:*`);
    const indexKeys = await scanKeys(redis, `${prefix}:${idx}:*`);
    const indexed = new Map<string, string[]>();
    for (const k of indexKeys) {
      const value = k.slice(`${prefix}:${idx}:`.length);
      for (const id of await redis.smembers(k))
        indexed.set(id, [...(indexed.get(id) ?? []), value]);
    }
    for (const key of entities) {
      if ((await redis.type(key)) !== 'hash') continue;
      const id = key.slice(`${prefix}:${kind}:`.length);
      const raw = await redis.hgetall(key);
      const value = raw[field] ?? fieldFromJson(raw, field);
      expect({ key, indexes: indexed.get(id) ?? [] }).toEqual({ key, indexes: [value] });
    }
  }
}

function fieldFromJson(raw: Record<string, string>, field: string): string | undefined {
  for (const v of Object.values(raw)) {
    try {
      const parsed = JSON.parse(v) as Record<string, unknown>;
      if (typeof parsed?.[field] === 'string') return parsed[field] as string;
    } catch {}
  }
  return undefined;
}

export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    out.push(...keys);
  } while (cursor !== '0');
  return out;
}
