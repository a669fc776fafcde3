import { setTimeout as sleep } from 'node:timers/promises';
import type { KeyValueStore, Logger } from '../usecases/ports/index.js';

/** Tries of a record, about 20 s in all. */
const RECORD_ATTEMPTS = 10;
const RECORD_MAX_PAUSE_MS = 4000;

/**
 * Writes a record after something that cannot be taken back (a post). A failed write (Redis
 * restarting, a failover: the shared connection fails fast) is tried again for about 20 s rather
 * than failing the job, whose retry would do the thing a second time.
 */
export async function recordWithRetry(
  kv: KeyValueStore,
  logger: Logger,
  key: string,
  value: string,
  ttlMs: number,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await kv.set(key, value, ttlMs);
      return;
    } catch (error) {
      if (attempt >= RECORD_ATTEMPTS) throw error;
      logger.warn(`delivery: recording ${key} failed (${(error as Error).message}); retrying`);
      await sleep(Math.min(RECORD_MAX_PAUSE_MS, 100 * 2 ** attempt));
    }
  }
}
