import type { Worker } from 'bullmq';
import type { UseCaseContext } from '../usecases/context.js';
import type { KeyValueStore, Logger, MessageDelivery } from '../usecases/ports/index.js';
import type { BullmqDispatcher } from './bullmq-dispatcher.js';
import { startClockWorker } from './clock-worker.js';
import { SWEEP_DM_MAX_AGE_MS, type SweptQueue, sweepFailedDeliveries } from './delivery-sweep.js';
import { startDeliveryWorkers } from './delivery-worker.js';
import type { OutageBackoffSettings } from './outage-backoff.js';
import type { QueueSettings } from './queues.js';
import { upsertSchedulers } from './schedulers.js';

export interface JobsOptions {
  readonly settings: QueueSettings;
  readonly ctx: UseCaseContext;
  readonly dispatcher: BullmqDispatcher;
  /** Renders and sends the clocks' messages (src/slack). */
  readonly delivery: MessageDelivery;
  /** Where delivered keys are recorded. */
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  readonly timeZone: string;
  readonly checkTime: { readonly hour: number; readonly minute: number };
  readonly reminderDays: readonly number[];
  readonly lockDurationMs: number;
  /** The pause between probes while the delivery channel is unavailable. */
  readonly outageBackoff?: OutageBackoffSettings;
  /** Message queues besides the DM queue whose failed jobs the delivery sweep retries. */
  readonly sweptQueues?: readonly SweptQueue[];
}

export interface RunningJobs {
  readonly workers: readonly Worker[];
  /** Stops taking jobs and waits for the active ones (BullMQ has no timeout of its own). */
  close(): Promise<void>;
}

/** The `worker` role: schedulers (idempotent upserts) and the workers that run the clocks. */
export async function startJobs(options: JobsOptions): Promise<RunningJobs> {
  await upsertSchedulers(options.dispatcher, {
    timeZone: options.timeZone,
    checkTime: options.checkTime,
  });
  const workers: Worker[] = [
    startClockWorker({
      settings: options.settings,
      ctx: options.ctx,
      reminderDays: options.reminderDays,
      logger: options.logger,
      lockDurationMs: options.lockDurationMs,
      sweepDeliveries: () =>
        sweepFailedDeliveries(
          [
            { queue: options.dispatcher.direct, maxAgeMs: SWEEP_DM_MAX_AGE_MS },
            ...(options.sweptQueues ?? []),
          ],
          options.logger,
        ),
    }),
  ];
  const delivery = startDeliveryWorkers({
    settings: options.settings,
    delivery: options.delivery,
    kv: options.kv,
    dispatcher: options.dispatcher,
    logger: options.logger,
    lockDurationMs: options.lockDurationMs,
    ...(options.outageBackoff ? { outageBackoff: options.outageBackoff } : {}),
  });
  workers.push(delivery.direct, delivery.support);
  return {
    workers,
    close: async () => {
      await Promise.all(workers.map((worker) => worker.close()));
    },
  };
}
