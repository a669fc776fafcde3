import type { Queue } from 'bullmq';
import { DELIVERY_SWEEP_EVERY_MS } from './delivery-sweep.js';
import { JOBS } from './queues.js';

/** The review sweep: finds SLA points whose alarm got lost (jobs are wake-ups, the index is the truth). */
export const REVIEW_SWEEP_EVERY_MS = 60_000;
/** The support digest also wakes on its own, so no buffered escalation waits forever. */
export const DIGEST_SWEEP_EVERY_MS = 60_000;
/** Polling CAs (Alibaba Cloud CAS) are asked about submitted orders this often. */
export const CA_POLL_EVERY_MS = 120_000;

/**
 * Registers the recurring jobs. Upserts are idempotent, so every worker process calls this at
 * start; BullMQ keeps exactly one delayed job per scheduler.
 */
export async function upsertSchedulers(
  queues: { clock: Queue; support: Queue },
  options: { timeZone: string; checkTime: { hour: number; minute: number } },
): Promise<void> {
  const { hour, minute } = options.checkTime;
  await queues.clock.upsertJobScheduler(
    JOBS.expiryCheck,
    { pattern: `0 ${minute} ${hour} * * *`, tz: options.timeZone },
    {
      name: JOBS.expiryCheck,
      opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } },
    },
  );
  await queues.clock.upsertJobScheduler(
    JOBS.reviewSweep,
    { every: REVIEW_SWEEP_EVERY_MS },
    { name: JOBS.reviewSweep },
  );
  // A failed run is not retried: the next one comes two minutes later anyway.
  await queues.clock.upsertJobScheduler(
    JOBS.caPoll,
    { every: CA_POLL_EVERY_MS },
    { name: JOBS.caPoll, opts: { attempts: 1 } },
  );
  await queues.clock.upsertJobScheduler(
    JOBS.deliverySweep,
    { every: DELIVERY_SWEEP_EVERY_MS },
    { name: JOBS.deliverySweep, opts: { attempts: 1 } },
  );
  await queues.support.upsertJobScheduler(
    JOBS.digest,
    { every: DIGEST_SWEEP_EVERY_MS },
    { name: JOBS.digest },
  );
}
