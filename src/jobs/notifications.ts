import { createHash } from 'node:crypto';
import {
  type ConnectionOptions,
  type DefaultJobOptions,
  type Job,
  Queue,
  QueueEvents,
  UnrecoverableError,
  Worker,
} from 'bullmq';
import type { Redis } from 'ioredis';
import pMap from 'p-map';
import { z } from 'zod';
import type { Clock } from '../domain/clock.js';
import { CA_ERROR_ESCALATE_AFTER_MS } from '../usecases/decide-application.js';
import type {
  CertOpsEvent,
  DrainableEventSink,
  Logger,
  MessageDelivery,
  NotifierRoutes,
} from '../usecases/ports/index.js';
import { logFailed } from './delivery-worker.js';
import { OutageBackoff, type OutageBackoffSettings, retryLater } from './outage-backoff.js';
import {
  DEFAULT_JOB_OPTIONS,
  jobIdOf,
  NOTIFICATION_LIMIT,
  QUEUES,
  type QueueSettings,
} from './queues.js';

/**
 * Durable notifications. A use case publishes its event after its commit; `publish` turns it
 * into one job per notifier of the event (NotifierRoutes), and a worker (in every role, so a web
 * process alone still delivers) runs the notifier through the delivery port (Slack: the
 * features' handlers). A notifier that fails throws, and only its own job is retried; a crash
 * before delivery leaves the job in Redis.
 * A job is due NOTIFY_DELAY_MS after its event, and a waiting worker takes it at once then.
 */

/**
 * How long a notification waits before it goes out. Events are published in the middle of a
 * Slack request; the request's own answer (the approval message updated in place, an ephemeral
 * reply) should reach people before the messages the change causes, as it did when they were
 * sent in-process after the request.
 */
export const NOTIFY_DELAY_MS = 250;
/** How long `settle()` waits at most: longer than a Retry-After or two and a first backoff. */
export const SETTLE_TIMEOUT_MS = 10_000;
/** Ids of unfinished jobs kept for `settle()`; beyond this, finished ones are looked for. */
const MAX_TRACKED = 1000;
/** Job states asked for at once while looking for finished ones. */
const SWEEP_CONCURRENCY = 50;

/** What a notification job carries: the event (public certificate data, ids) and its notifier. */
export interface NotificationJob {
  readonly feature: string;
  readonly event: CertOpsEvent;
}

/**
 * The job's id: the event's identity (type, entities at their versions, a digest of the whole
 * event) and the feature. A repeat of the event (a use case run again) adds nothing while the
 * first job is kept (DEFAULT_JOB_OPTIONS: a day); each feature's job is retried on its own.
 * A CA error's escalation carries the very application of its first report: what sets it apart
 * is the error's age.
 */
export function notificationJobId(event: CertOpsEvent, feature: string, now: number): string {
  const app = event.application;
  const cert = event.type === 'instances_combined' ? event.combined : event.certificate;
  const escalated =
    event.type === 'ca_submission_failed' &&
    app.caErrorSince !== undefined &&
    now - app.caErrorSince >= CA_ERROR_ESCALATE_AFTER_MS;
  const parts = [
    'n',
    event.type,
    `${app.id}@${app.version}`,
    `${cert.id}@${cert.version}`,
    ...(escalated ? ['escalated'] : []),
    digest(event),
    feature,
  ];
  return jobIdOf(parts.join('.'));
}

/** 64 bits of SHA-256 over the event as canonical JSON (keys sorted). */
function digest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 16);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

// Job data is read back from Redis: its shape is checked before use.
const entity = z.looseObject({ id: z.string().min(1).max(64), version: z.number().int() });
const jobSchema = z.object({
  feature: z.string().min(1).max(64),
  event: z.looseObject({ type: z.string().min(1).max(64), application: entity }),
});

export interface NotificationQueueOptions {
  readonly settings: QueueSettings;
  /** A connection of the process: reads where the queue's event stream stands at start. */
  readonly redis: Redis;
  readonly logger: Logger;
  /** The use cases' clock (a CA error's age). */
  readonly clock: Clock;
  /** Which notifiers each event goes to: one job each. */
  readonly routes: NotifierRoutes;
  /** Over DEFAULT_JOB_OPTIONS (tests: a short backoff). */
  readonly jobOptions?: DefaultJobOptions;
}

/**
 * The use cases' event sink. `publish` returns once the jobs are in Redis (a use case runs
 * inside a Slack request: its connection fails fast rather than wait for Redis, and a failure is
 * logged, never thrown). `settle` waits, through the queue's events, for the jobs this process
 * added.
 */
export class NotificationQueue implements DrainableEventSink {
  /** Ids of jobs added here and not seen finished. */
  private readonly pending = new Set<string>();
  private readonly adding = new Set<Promise<unknown>>();
  private readonly waiters = new Set<() => void>();
  /** The look for finished jobs under way, if any: one at a time. */
  private sweeping: Promise<void> | undefined;
  /**
   * Tracked ids at which the next look starts: twice what the last one left, so that a real
   * backlog (Slack slow, a worker down) costs a look per doubling, not one per publish.
   */
  private sweepAt = MAX_TRACKED;

  private constructor(
    readonly queue: Queue<NotificationJob>,
    private readonly events: QueueEvents,
    private readonly options: NotificationQueueOptions,
  ) {
    const finished = ({ jobId }: { jobId: string }) => this.finished(jobId);
    events.on('completed', finished);
    events.on('failed', finished);
    events.on('removed', finished);
  }

  static async open(options: NotificationQueueOptions): Promise<NotificationQueue> {
    const { settings, logger } = options;
    const queue = new Queue<NotificationJob>(QUEUES.notifications, {
      connection: failFast(settings.connection),
      prefix: settings.prefix,
      defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, ...options.jobOptions },
    });
    queue.on('error', (error) => logger.warn(`notifications queue: ${error.message}`));
    let events: QueueEvents | undefined;
    try {
      // Events are read from where the stream stands now, not from when the reader gets going:
      // a job finishing in between is still seen.
      const [last] = await options.redis.xrevrange(queue.toKey('events'), '+', '-', 'COUNT', 1);
      events = new QueueEvents(QUEUES.notifications, {
        connection: settings.connection,
        prefix: settings.prefix,
        lastEventId: last?.[0] ?? '0-0',
      });
      events.on('error', (error) => logger.warn(`notifications events: ${error.message}`));
      await events.waitUntilReady();
      return new NotificationQueue(queue, events, options);
    } catch (error) {
      await events?.close().catch(() => undefined);
      await queue.close().catch(() => undefined);
      throw error;
    }
  }

  async publish(event: CertOpsEvent): Promise<void> {
    const features = this.options.routes.notifiersOf(event.type);
    if (features.length === 0) return;
    const now = this.options.clock.now().getTime();
    const jobs = features.map((feature) => ({
      name: event.type,
      data: { feature, event },
      opts: { jobId: notificationJobId(event, feature, now), delay: NOTIFY_DELAY_MS },
    }));
    // Noted before the add, so that a job finishing at once is never missed.
    for (const job of jobs) this.pending.add(job.opts.jobId);
    const adding = this.queue.addBulk(jobs);
    this.adding.add(adding);
    try {
      await adding;
    } catch (error) {
      for (const job of jobs) this.finished(job.opts.jobId);
      this.options.logger.error(
        `notifications: queueing ${event.type} of ${event.application.id} failed; it is not delivered`,
        error,
      );
    } finally {
      this.adding.delete(adding);
    }
    if (this.pending.size > this.sweepAt && !this.sweeping) {
      this.sweeping = this.dropFinished()
        .catch((error: unknown) =>
          this.options.logger.warn(`notifications: ${(error as Error).message}`),
        )
        .finally(() => {
          this.sweeping = undefined;
          this.sweepAt = Math.max(MAX_TRACKED, 2 * this.pending.size);
        });
    }
  }

  /**
   * Resolves true once every job this process added has finished (delivered, or given up and
   * logged), false when `timeoutMs` ran out first (a Slack outage: the jobs stay queued).
   */
  async settle(timeoutMs = SETTLE_TIMEOUT_MS): Promise<boolean> {
    while (this.adding.size > 0) await Promise.allSettled([...this.adding]);
    // A repeat of a job that finished long ago sends no event: ask for those.
    await this.dropFinished();
    if (await this.idle(timeoutMs)) return true;
    await this.dropFinished();
    if (this.pending.size === 0) return true;
    this.options.logger.warn(
      `notifications: ${this.pending.size} not delivered within ${timeoutMs} ms; they stay queued`,
    );
    return false;
  }

  drain(): Promise<void> {
    return this.settle().then(() => undefined);
  }

  async close(): Promise<void> {
    for (const wake of [...this.waiters]) wake();
    await this.events.close();
    await this.queue.close();
  }

  private idle(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(result);
      };
      const check = () => {
        if (this.pending.size === 0) done(true);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private finished(jobId: string): void {
    if (!this.pending.delete(jobId)) return;
    for (const check of [...this.waiters]) check();
  }

  private async dropFinished(): Promise<void> {
    await pMap(
      [...this.pending],
      async (id) => {
        const state = await this.queue.getJobState(id);
        if (state === 'completed' || state === 'failed' || state === 'unknown') this.finished(id);
      },
      { concurrency: SWEEP_CONCURRENCY },
    );
  }
}

/** No offline queue, one retry: a request publishing while Redis is away is not held up. */
function failFast(connection: ConnectionOptions): ConnectionOptions {
  return { ...(connection as object), enableOfflineQueue: false, maxRetriesPerRequest: 1 };
}

export interface NotificationWorkerOptions {
  readonly settings: QueueSettings;
  /** Runs the notifiers (src/slack). */
  readonly delivery: MessageDelivery;
  readonly logger: Logger;
  /** How long a job is locked before another worker may take it over (BullMQ lockDuration). */
  readonly lockDurationMs?: number;
  /** The pause between probes while the delivery channel is unavailable. */
  readonly outageBackoff?: OutageBackoffSettings;
  /**
   * Told when the channel refuses a notification for good (the approvals channel archived, the
   * bot not in it): the composition root opens a support case. Never throws.
   */
  readonly onRefused?: (event: CertOpsEvent, feature: string, code: string) => Promise<void>;
}

/**
 * The worker that delivers notifications. One job at a time, oldest first, so one
 * application's messages arrive in the order they happened (approved, then the validation
 * records). Delivery never waits: when the channel is rate limited or unavailable the queue
 * pauses and the job goes back to it without using an attempt (see outage-backoff.ts); a refusal
 * no retry can fix spends the job and is reported; other failures are retried with backoff.
 */
export function startNotificationWorker(options: NotificationWorkerOptions): Worker {
  const { delivery, logger, settings } = options;
  const backoff = new OutageBackoff(options.outageBackoff);

  const worker: Worker = new Worker(
    QUEUES.notifications,
    async (job: Job) => {
      const parsed = jobSchema.safeParse(job.data);
      if (!parsed.success)
        throw new UnrecoverableError(`invalid notification job ${job.id}: ${parsed.error.message}`);
      const { feature } = parsed.data;
      const event = parsed.data.event as unknown as CertOpsEvent;
      let ran: boolean;
      try {
        // Keyed by the job (one per event and feature): a retry sends none of its messages twice.
        ran = await delivery.notify(feature, event, `n:${job.id}`);
      } catch (error) {
        const failure = delivery.classify(error);
        if (failure.kind === 'refused') {
          logger.error(
            `notifications: ${delivery.channel} refused ${feature} of ${event.type} (${event.application.id}): ${failure.code}; given up`,
          );
          await options.onRefused?.(event, feature, failure.code);
          return `refused:${failure.code}`;
        }
        throw await retryLater(
          worker,
          error,
          failure,
          backoff,
          logger,
          'notifications',
          delivery.channel,
        );
      }
      backoff.recovered();
      if (!ran) throw new UnrecoverableError(`no ${feature} handler for ${event.type}`);
      return 'delivered';
    },
    {
      connection: settings.connection,
      prefix: settings.prefix,
      concurrency: 1,
      limiter: NOTIFICATION_LIMIT,
      ...(options.lockDurationMs
        ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }
        : {}),
    },
  );

  worker.on('error', (error) => logger.error('notifications worker error', error));
  worker.on('failed', (job, error) => logFailed(logger, 'notifications', job, error));
  return worker;
}
