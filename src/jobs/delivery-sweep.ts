import type { Queue } from 'bullmq';
import type { Logger } from '../usecases/ports/index.js';

/** How often the sweep runs (a clock job scheduler). */
export const DELIVERY_SWEEP_EVERY_MS = 5 * 60_000;
/** Failed jobs read per round trip. */
const PAGE = 200;
/**
 * Failures no retry can change: the job's data cannot be read, or names no handler. Their
 * messages were never posted; they stay failed (kept a week) for someone to look at.
 */
const UNREADABLE = /^(invalid (delivery|notification) job|no \S+ handler for )/;

/** A message queue the sweep looks after, and how old a message may be and still be sent. */
export interface SweptQueue {
  readonly queue: Queue;
  readonly maxAgeMs: number;
}

/** DMs re-check at delivery whether they still apply (a settled reminder is dropped). */
export const SWEEP_DM_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
/** Notifications carry the event as it was (an approval request with its buttons): a day. */
export const SWEEP_NOTIFICATION_MAX_AGE_MS = 24 * 3600 * 1000;

/**
 * The delivery sweep: every message that is due and was not delivered goes back in line. A
 * message job fails only after its attempts were used up by errors that were neither Slack
 * being away (that pauses the queue without using attempts) nor a refusal (that spends it),
 * or, before outages were told apart, by an outage: both kinds are retried here with fresh
 * attempts. A retried job keeps its id and key, so what was delivered meanwhile is not posted
 * again (the delivered record absorbs it). A message older than its queue's limit is not sent
 * any more: it is reported instead (an approval request from last week would mislead).
 */
export async function sweepFailedDeliveries(
  queues: readonly SweptQueue[],
  logger: Logger,
  now: () => number = Date.now,
): Promise<{ readonly retried: number; readonly unreadable: number; readonly tooOld: number }> {
  let retried = 0;
  let unreadable = 0;
  let tooOld = 0;
  for (const { queue, maxAgeMs } of queues) {
    // Retried jobs leave the failed set, so the next page starts after the ones left there.
    let start = 0;
    for (;;) {
      const jobs = await queue.getFailed(start, start + PAGE - 1);
      if (jobs.length === 0) break;
      for (const job of jobs) {
        if (UNREADABLE.test(job.failedReason ?? '')) {
          unreadable++;
          start++;
          continue;
        }
        if (now() - job.timestamp > maxAgeMs) {
          tooOld++;
          start++;
          continue;
        }
        try {
          await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
          retried++;
        } catch (error) {
          // Taken meanwhile (another sweep, or removed): nothing to do for it here.
          logger.warn(`delivery sweep: ${queue.name} job ${job.id}: ${(error as Error).message}`);
          start++;
        }
      }
    }
  }
  if (retried > 0)
    logger.warn(`delivery sweep: ${retried} undelivered message job(s) queued again`);
  if (tooOld > 0)
    logger.error(
      `delivery sweep: ${tooOld} failed message job(s) too old to send now; left failed for a look (kept a week)`,
    );
  return { retried, unreadable, tooOld };
}
