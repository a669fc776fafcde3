import type { Redis } from 'ioredis';
import type { KeyValueStore } from '../usecases/ports/index.js';

/** Small adapter state (locale cache, Slack thread of a support case, seen event ids) under `<prefix>:kv:`. */
export class RedisKeyValueStore implements KeyValueStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(key: string): string {
    return `${this.prefix}:kv:${key}`;
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.redis.set(this.key(key), value);
    else await this.redis.set(this.key(key), value, 'PX', ttlMs);
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const reply =
      ttlMs === undefined
        ? await this.redis.set(this.key(key), value, 'NX')
        : await this.redis.set(this.key(key), value, 'PX', ttlMs, 'NX');
    return reply === 'OK';
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.key(key));
  }
}
