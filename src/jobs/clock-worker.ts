import { type Job, Worker } from 'bullmq';
import { z } from 'zod';
import type { UseCaseContext } from '../usecases/context.js';
import { runExpiryCheck } from '../usecases/expiry-check.js';
import type { Logger } from '../usecases/ports/index.js';
import { checkReview, reviewsDue } from '../usecases/review-clock.js';
import { runCaPoll } from './ca-poll.js';
import { JOBS, QUEUES, type QueueSettings } from './queues.js';

const reviewCheckData = z.object({ applicationId: z.string().min(1).max(64) });

export interface ClockWorkerOptions {
  readonly settings: QueueSettings;
  readonly ctx: UseCaseContext;
  readonly reminderDays: readonly number[];
  readonly logger: Logger;
  /** How long a job is locked before another worker may take it over (BullMQ lockDuration). */
  readonly lockDurationMs?: number;
  /** Puts undelivered message jobs back in line (the delivery sweep). */
  readonly sweepDeliveries?: () => Promise<unknown>;
}

/**
 * The clock's jobs are wake-ups: each one asks a use case what is owed now, and the use case
 * reads the store, so a job that runs twice, late or on two workers changes nothing twice.
 */
export function startClockWorker(options: ClockWorkerOptions): Worker {
  const { ctx, logger } = options;
  const worker = new Worker(
    QUEUES.clock,
    async (job: Job) => {
      switch (job.name) {
        case JOBS.expiryCheck: {
          const summary = await runExpiryCheck(ctx, options.reminderDays);
          logger.info(`expiry check: ${JSON.stringify(summary)}`);
          return summary;
        }
        case JOBS.reviewSweep: {
          const due = await reviewsDue(ctx);
          for (const id of due) await checkReview(ctx, id);
          return { due: due.length };
        }
        case JOBS.reviewCheck: {
          const { applicationId } = reviewCheckData.parse(job.data);
          return checkReview(ctx, applicationId);
        }
        case JOBS.caPoll:
          return runCaPoll(ctx, logger);
        case JOBS.deliverySweep:
          return options.sweepDeliveries?.();
        default:
          logger.warn(`clock: unknown job ${job.name}`);
          return undefined;
      }
    },
    {
      connection: options.settings.connection,
      prefix: options.settings.prefix,
      concurrency: 4,
      ...(options.lockDurationMs
        ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }
        : {}),
    },
  );
  worker.on('error', (error) => logger.error('clock worker error', error));
  worker.on('failed', (job, error) =>
    logger.warn(`clock job ${job?.name} ${job?.id} failed: ${error.message}`),
  );
  return worker;
}
