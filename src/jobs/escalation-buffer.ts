import type { Redis } from 'ioredis';
import type { OutboundMessage } from '../usecases/ports/index.js';

/** An escalation waiting for the next digest. */
export interface PendingEscalation {
  readonly message: Extract<OutboundMessage, { kind: 'escalation' }>;
  readonly key: string;
}

/** How long a key keeps absorbing repeats after its escalation was buffered. */
export const ESCALATION_KEY_TTL_MS = 7 * 24 * 3600 * 1000;

// Buffer once per key: claim the key and queue the item in one step, so a crash can never
// claim without queueing (which would lose it) nor queue twice.
const ADD = `
if redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[3]) then
  redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
  return 1
end
return 0`;

// Take up to ARGV[1] items, oldest first, in one step: two digests never share an item.
const DRAIN = `
local items = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #items > 0 then redis.call('ZREM', KEYS[1], unpack(items)) end
return items`;

/**
 * Escalations wait here for the support digest: a burst (500 breaches at once) becomes one
 * message instead of 500. Lives beside BullMQ's keys, under the queue prefix.
 */
export class EscalationBuffer {
  private readonly pendingKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {
    this.pendingKey = `${prefix}:escalations:pending`;
  }

  /** Buffers an escalation unless its key was buffered in the last week; true when added. */
  async add(item: PendingEscalation, now: number): Promise<boolean> {
    const added = await this.redis.eval(
      ADD,
      2,
      `${this.prefix}:escalations:key:${item.key}`,
      this.pendingKey,
      now,
      JSON.stringify(item),
      ESCALATION_KEY_TTL_MS,
    );
    return added === 1;
  }

  async drain(max: number): Promise<PendingEscalation[]> {
    const items = (await this.redis.eval(DRAIN, 1, this.pendingKey, max)) as string[];
    return items.map((text) => JSON.parse(text) as PendingEscalation);
  }

  /** Puts items back after a failed delivery, keeping their place in line. */
  async restore(items: readonly PendingEscalation[], now: number): Promise<void> {
    if (items.length === 0) return;
    await this.redis.zadd(this.pendingKey, ...items.flatMap((item) => [now, JSON.stringify(item)]));
  }

  size(): Promise<number> {
    return this.redis.zcard(this.pendingKey);
  }
}
