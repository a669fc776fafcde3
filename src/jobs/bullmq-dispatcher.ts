import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type {
  Dispatcher,
  KeyedMessage,
  OutboundMessage,
  ReviewAlarms,
} from '../usecases/ports/index.js';
import { EscalationBuffer } from './escalation-buffer.js';
import { DEFAULT_JOB_OPTIONS, JOBS, jobIdOf, QUEUES, type QueueSettings } from './queues.js';

/** What a DM delivery job carries: the message (ids and numbers only) and its key. */
export interface DeliveryJob {
  readonly message: OutboundMessage;
  readonly key: string;
}

/** Escalations in a burst wait this long for company before the digest posts them. */
export const DIGEST_WINDOW_MS = 2000;

/**
 * The durable dispatcher. A DM becomes a job whose id derives from its key, so a repeat of the
 * key is ignored while the first job is kept (a day after it completes). An escalation joins
 * the escalation buffer (once per key) and wakes the support digest, deduplicated for the
 * window; a scheduler also wakes it every minute, so a crash between the two loses nothing.
 */
export class BullmqDispatcher implements Dispatcher, ReviewAlarms {
  readonly direct: Queue<DeliveryJob>;
  readonly support: Queue;
  readonly clock: Queue;
  readonly escalations: EscalationBuffer;

  constructor(settings: QueueSettings, redis: Redis) {
    const options = {
      connection: settings.connection,
      prefix: settings.prefix,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    };
    this.direct = new Queue(QUEUES.directMessages, options);
    this.support = new Queue(QUEUES.supportMessages, options);
    this.clock = new Queue(QUEUES.clock, options);
    this.escalations = new EscalationBuffer(redis, settings.prefix);
  }

  async dispatch(message: OutboundMessage, key: string): Promise<void> {
    if (message.kind !== 'escalation') {
      await this.direct.add(JOBS.deliver, { message, key }, { jobId: jobIdOf(key) });
      return;
    }
    await this.escalations.add({ message, key }, Date.now());
    await this.wakeDigest();
  }

  /**
   * DMs as one addBulk (one round trip for a page instead of one per message; a job id already
   * there is ignored as with add), escalations into the buffer, then one digest wake-up.
   */
  async dispatchAll(messages: readonly KeyedMessage[]): Promise<void> {
    const direct = messages.filter((m) => m.message.kind !== 'escalation');
    const escalations = messages.flatMap(({ message, key }) =>
      message.kind === 'escalation' ? [{ message, key }] : [],
    );
    if (direct.length > 0)
      await this.direct.addBulk(
        direct.map(({ message, key }) => ({
          name: JOBS.deliver,
          data: { message, key },
          opts: { jobId: jobIdOf(key) },
        })),
      );
    if (escalations.length === 0) return;
    for (const item of escalations) await this.escalations.add(item, Date.now());
    await this.wakeDigest();
  }

  wakeDigest(): Promise<unknown> {
    return this.support.add(
      JOBS.digest,
      {},
      { delay: DIGEST_WINDOW_MS, deduplication: { id: JOBS.digest, ttl: DIGEST_WINDOW_MS } },
    );
  }

  /** Review alarms at the SLA points; the review sweep catches any that get lost. */
  async schedule(applicationId: string, remindAt: number, breachAt: number): Promise<void> {
    const now = Date.now();
    const points: Array<[string, number]> = [
      ['remind', remindAt],
      ['breach', breachAt],
    ];
    await this.clock.addBulk(
      points.map(([point, at]) => ({
        name: JOBS.reviewCheck,
        data: { applicationId },
        opts: { jobId: jobIdOf(`review:${applicationId}:${point}`), delay: Math.max(0, at - now) },
      })),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.direct.close(), this.support.close(), this.clock.close()]);
  }
}
