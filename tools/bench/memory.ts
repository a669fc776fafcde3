/**
 * `npx tsx bench/memory.ts [count]`: what one issued certificate costs in Redis, by key type.
 * Deterministic (no timing): seeds `count` bench certificates (default 20,000) through the real
 * store on a PRIVATE redis-server, then deletes one key type at a time and reads the drop in
 * `used_memory`, which is exact where MEMORY USAGE only estimates. Prints bytes per certificate
 * and the projection to 100,000.
 */
import { Redis } from 'ioredis';
import { startRedisServer } from '../../src/infra/redis-server-process.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { issued } from './certificates.js';

const PREFIX = 'bench';
const BATCH = 500;

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 20_000);
  const server = await startRedisServer({ persistence: 'none', hz: 10 });
  const redis = new Redis(server.url);
  try {
    await redis.config('SET', 'hash-max-listpack-value', '256');
    const store = new RedisStore(redis, PREFIX);
    const keys = store.keys;
    const empty = await usedMemory(redis);
    const now = Date.UTC(2126, 5, 4);
    for (let from = 0; from < count; from += BATCH) {
      const note = { actor: 'UBENCHADMIN', at: now, action: 'bench_seed' };
      const result = await store.commit((tx) => {
        for (let i = from; i < Math.min(count, from + BATCH); i++)
          tx.createCertificate(issued(i, now, i < count * 0.03), note);
      });
      if (!result.ok) throw new Error(JSON.stringify(result.conflict));
    }
    const full = await usedMemory(redis);
    const [sampleId] = await redis.zrange(keys.idx.certCreated(), '0', '0');
    const sample = {
      entityHash: await usage(redis, keys.entity('cert', sampleId ?? '')),
      encoding: await redis.object('ENCODING', keys.entity('cert', sampleId ?? '')),
      hash: await redis.hgetall(keys.entity('cert', sampleId ?? '')),
    };

    // Drop one key type at a time; what used_memory gives back is that type's whole cost.
    const groups: Array<[string, string]> = [
      ['per-certificate audit lists', `${PREFIX}:audit:cert:*`],
      ['global audit stream', `${PREFIX}:audit`],
      ['index: created (zset)', keys.idx.certCreated()],
      ['index: notAfter (zset)', keys.idx.certNotAfter()],
      ['index: state (set)', `${PREFIX}:idx:cert:state:*`],
      ['index: team lists (zsets)', `${PREFIX}:idx:cert:team-*`],
      ['index: owner lists (zsets)', `${PREFIX}:idx:cert:owner-*`],
      ['entity hashes', `${PREFIX}:cert:*`],
    ];
    const rows: Array<[string, number, number]> = [];
    for (const [name, pattern] of groups) {
      const matched = await matching(redis, pattern);
      const before = await usedMemory(redis);
      for (let i = 0; i < matched.length; i += 1000) await redis.del(...matched.slice(i, i + 1000));
      rows.push([name, matched.length, (before - (await usedMemory(redis))) / count]);
    }
    const rest = ((await usedMemory(redis)) - empty) / count;
    const total = (full - empty) / count;
    const line = (what: string, keysCount: string, bytes: number) =>
      `${what.padEnd(30)} ${keysCount.padStart(7)} ${bytes.toFixed(1).padStart(8)} B`;
    const out = [
      `${count} certificates, Redis ${(await redis.info('server')).match(/redis_version:(\S+)/)?.[1]}`,
      line('key type', 'keys', 0).replace('0.0 B', 'B/cert'),
      ...rows.map(([name, n, bytes]) => line(name, String(n), bytes)),
      line('rest (other, allocator)', '', rest),
      line('total per certificate', '', total),
      `per 100,000: ${((total * 100_000) / 2 ** 20).toFixed(1)} MB (MiB, as npm run bench reports)`,
      `one certificate: hash ${sample.entityHash} B (${sample.encoding}, MEMORY USAGE)`,
      `hash fields: ${JSON.stringify(sample.hash)}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await redis.quit();
    await server.stop();
  }
}

async function matching(redis: Redis, pattern: string): Promise<string[]> {
  if (!pattern.includes('*')) return (await redis.exists(pattern)) ? [pattern] : [];
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}

async function usage(redis: Redis, key: string): Promise<number> {
  return Number(await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'));
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
}

await main();
