import { Redis } from 'ioredis';
import { manualOnly } from '../ca/manual-provider.js';
import { type Config, redactRedisUrl } from '../config.js';
import { systemClock } from '../domain/clock.js';
import type { BusinessDayAdder } from '../domain/sla.js';
import { RedisStore } from '../store/redis-store.js';
import { teamDirectory, type UseCaseContext } from '../usecases/context.js';
import { randomIds } from '../usecases/ids.js';
import type { Dispatcher } from '../usecases/ports/index.js';

/**
 * Runs a command-line tool's work against the configured store: connects Redis (one clear line
 * and exit code 1 when it cannot), builds a minimal use-case context (no calendar, manual CA, no
 * events, no dispatcher: imports need none), and closes the connection whatever happens.
 */
export async function withCliContext(
  config: Config,
  tool: string,
  work: (ctx: UseCaseContext) => Promise<number>,
): Promise<number> {
  const redis = new Redis(config.redis.url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 5000,
  });
  redis.on('error', () => undefined); // reported by connect() or the command that failed
  try {
    await redis.connect();
  } catch (error) {
    console.error(
      `cannot reach Redis at ${redactRedisUrl(config.redis.url)}: ${(error as Error).message}`,
    );
    redis.disconnect();
    return 1;
  }
  // No business days are needed; anything that asks is a mistake worth hearing about.
  const noCalendar: BusinessDayAdder = {
    addBusinessDays() {
      throw new Error(`${tool} has no business-day calendar`);
    },
  };
  const noDispatcher: Dispatcher = {
    async dispatch() {
      throw new Error(`${tool} sends no messages`);
    },
    async dispatchAll() {
      throw new Error(`${tool} sends no messages`);
    },
  };
  try {
    const store = new RedisStore(redis, config.redis.keyPrefix);
    await store.migrate((line) => console.error(line));
    return await work({
      store,
      clock: systemClock,
      ids: randomIds,
      calendar: noCalendar,
      policy: {
        approvers: new Set(config.approvals.approvers),
        admins: new Set(config.approvals.admins),
        timeZone: config.calendar.timezone,
        reminderDays: config.expiry.reminderDays,
      },
      teams: teamDirectory(config.teams.memberOf),
      ca: manualOnly,
      events: { publish: async () => undefined },
      dispatcher: noDispatcher,
    });
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
