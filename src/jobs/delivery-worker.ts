import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import { recordWithRetry } from '../infra/record-with-retry.js';
import {
  CASE_CLOSED_CAUSES,
  type DeliveryOutcome,
  type EscalationDelivery,
  type KeyedEscalation,
  type KeyValueStore,
  type Logger,
  type MessageDelivery,
  type OutboundMessage,
} from '../usecases/ports/index.js';
import type { BullmqDispatcher, DeliveryJob } from './bullmq-dispatcher.js';
import { OutageBackoff, type OutageBackoffSettings, retryLater } from './outage-backoff.js';
import {
  DIRECT_MESSAGE_LIMIT,
  JOBS,
  jobIdOf,
  QUEUES,
  type QueueSettings,
  SUPPORT_CHANNEL_LIMIT,
} from './queues.js';

/** A delivered key is remembered this long: a repeat of it (a retry, a re-run) posts nothing. */
export const DELIVERED_TTL_MS = 7 * 24 * 3600 * 1000;
/** Escalations one digest run takes; more wait for the next run, which is woken at once. */
export const DIGEST_BATCH = 1000;
/** A digest's drained escalations are kept this long, for a retry after a crash mid-run. */
const BATCH_TTL_MS = 24 * 3600 * 1000;
export const deliveredKey = (key: string) => `delivered:${key}`;
const batchKey = (jobId: string) => `digest-batch:${jobId}`;

// Job data is read back from Redis: checked before use, like any input.
const id = z.string().min(1).max(64);
const user = z.string().max(32);
const escalationSchema = z.object({
  kind: z.literal('escalation'),
  cause: z.enum(['sla_breach', 'expired', 'renewal_failed', 'delivery_refused']),
  certificateId: id,
  applicationId: id.optional(),
  requesterId: user.optional(),
  detail: z.string().max(2000).optional(),
  estimated: z.boolean().optional(),
});
const messageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sla_reminder'), userId: user, applicationId: id, certificateId: id }),
  z.object({
    kind: z.literal('expiry_reminder'),
    userId: user,
    certificateId: id,
    threshold: z.number().int(),
    daysLeft: z.number().int(),
    notAfter: z.number().int(),
  }),
  z.object({ kind: z.literal('expired'), userId: user, certificateId: id, notAfter: z.number() }),
  z.object({
    kind: z.literal('renewal_activated'),
    userId: user,
    certificateId: id,
    renewalId: id,
  }),
  escalationSchema,
  z.object({
    kind: z.literal('case_closed'),
    certificateId: id,
    cause: z.enum(CASE_CLOSED_CAUSES),
    by: user.optional(),
  }),
]);
const deliveryJobSchema = z.object({ message: messageSchema, key: z.string().min(1).max(500) });
const batchSchema = z.array(
  z.object({ message: escalationSchema, key: z.string().min(1).max(500) }),
);

export interface DeliveryWorkerOptions {
  readonly settings: QueueSettings;
  /** Renders and sends (src/slack). */
  readonly delivery: MessageDelivery;
  /** Where delivered keys and digest batches are recorded. */
  readonly kv: KeyValueStore;
  readonly dispatcher: BullmqDispatcher;
  readonly logger: Logger;
  /** How long a job is locked before another worker may take it over (BullMQ lockDuration). */
  readonly lockDurationMs?: number;
  /** Escalations per digest run; DIGEST_BATCH by default. */
  readonly digestBatch?: number;
  /** The pause between probes while the delivery channel is unavailable. */
  readonly outageBackoff?: OutageBackoffSettings;
}

export interface DeliveryWorkers {
  /** `direct-messages`: DMs (and owner-less notices to the support channel). */
  readonly direct: Worker;
  /** `support-messages`: the support digest, paced for the one channel. */
  readonly support: Worker;
}

/**
 * The workers that deliver what the clocks dispatched, through `delivery` (Slack), which never
 * waits: when it is rate limited or unavailable the queue pauses and the job goes back to it
 * without using an attempt (`Worker.RateLimitError`), so a message stays due however long an
 * outage lasts. A message is spent only when the channel took it or refused it for good; a
 * refused DM becomes a support case naming the reason. Other failures are retried with backoff
 * and logged at error level when given up. Each job run is keyed (`delivery` sends nothing twice
 * under one key), and the job's key is recorded as spent after it, so a job finding it recorded
 * sends nothing.
 */
export function startDeliveryWorkers(options: DeliveryWorkerOptions): DeliveryWorkers {
  const { delivery, kv, dispatcher, logger, settings } = options;
  const directBackoff = new OutageBackoff(options.outageBackoff);
  const supportBackoff = new OutageBackoff(options.outageBackoff);
  const common = {
    connection: settings.connection,
    prefix: settings.prefix,
    ...(options.lockDurationMs
      ? { lockDuration: options.lockDurationMs, stalledInterval: options.lockDurationMs }
      : {}),
  };

  const direct: Worker = new Worker(
    QUEUES.directMessages,
    async (job: Job) => {
      if (job.name !== JOBS.deliver) {
        logger.warn(`direct-messages: unknown job ${job.name}`);
        return undefined;
      }
      const parsed = deliveryJobSchema.safeParse(job.data);
      if (!parsed.success)
        throw new UnrecoverableError(`invalid delivery job ${job.id}: ${parsed.error.message}`);
      const { message, key } = parsed.data as DeliveryJob;
      if (await kv.get(deliveredKey(key))) return 'already_delivered';
      let outcome: DeliveryOutcome;
      try {
        outcome = await delivery.deliver(message, key);
      } catch (error) {
        const failure = delivery.classify(error);
        if (failure.kind === 'refused') return refused(message, key, failure.code);
        throw await retryLater(
          direct,
          error,
          failure,
          directBackoff,
          logger,
          'direct-messages',
          delivery.channel,
        );
      }
      // Only a message that went out says the channel is back (a stale reminder sends nothing).
      if (outcome === 'delivered') directBackoff.recovered();
      await markDelivered(deliveredKey(key), outcome);
      return outcome;
    },
    { ...common, concurrency: 10, limiter: DIRECT_MESSAGE_LIMIT },
  );

  const support: Worker = new Worker(
    QUEUES.supportMessages,
    async (job: Job) => {
      if (job.name !== JOBS.digest) {
        logger.warn(`support-messages: unknown job ${job.name}`);
        return undefined;
      }
      return runDigest(job);
    },
    { ...common, concurrency: 1, limiter: SUPPORT_CHANNEL_LIMIT },
  );

  /**
   * One digest run: take the waiting escalations and post them (one: its support case;
   * several: one digest message). What was taken is kept under the job's id until posted, so a
   * worker crashing mid-run leaves it to the job's retry; a refused post puts it back in line.
   */
  async function runDigest(job: Job) {
    const jobId = String(job.id);
    const done = deliveredKey(`digest:${jobId}`);
    let items: KeyedEscalation[];
    const held = await kv.get(batchKey(jobId));
    if (held !== undefined) {
      if (await kv.get(done)) {
        await kv.delete(batchKey(jobId));
        return { escalations: 0, posted: 'already_delivered' };
      }
      const parsed = batchSchema.safeParse(safeJson(held));
      items = parsed.success ? (parsed.data as KeyedEscalation[]) : [];
    } else {
      items = await dispatcher.escalations.drain(options.digestBatch ?? DIGEST_BATCH);
      if (items.length === 0) return { escalations: 0, posted: 'none' };
      await kv.set(batchKey(jobId), JSON.stringify(items), BATCH_TTL_MS);
    }
    let posted: EscalationDelivery;
    try {
      posted = await delivery.deliverEscalations(items, `digest:${jobId}`);
    } catch (error) {
      const failure = delivery.classify(error);
      // Perhaps posted: the batch stays with the job, whose retry looks for the post first.
      // Certainly not posted: the escalations go back in line for the next digest.
      if (failure.kind === 'refused' || !delivery.outcomeUnknown(error)) {
        await dispatcher.escalations.restore(items, Date.now());
        await kv.delete(batchKey(jobId));
      }
      // A refusal here is the support channel itself (archived, the bot removed): nowhere else
      // to tell, so the escalations wait in the buffer and each try says so at error level.
      if (failure.kind === 'refused') {
        logger.error(
          `support digest: ${delivery.channel} refused the post to the support channel (${failure.code}); ${items.length} escalation(s) wait until it is fixed`,
        );
        throw new Error(`support channel refused: ${failure.code}`);
      }
      throw await retryLater(
        support,
        error,
        failure,
        supportBackoff,
        logger,
        'support-messages',
        delivery.channel,
      );
    }
    if (posted.posted !== 'none') supportBackoff.recovered();
    await markDelivered(done, posted.posted);
    await kv.delete(batchKey(jobId));
    await afterDigest(posted.tellRequesters);
    return { escalations: items.length, posted: posted.posted };
  }

  /** Requesters hear of their escalation by DM (queued: paced, retried, once per key). */
  async function afterDigest(tell: readonly KeyedEscalation[]): Promise<void> {
    try {
      if (tell.length > 0) {
        await dispatcher.direct.addBulk(
          tell.map((item) => {
            const key = `${item.key}:requester`;
            const data: DeliveryJob = { message: item.message as OutboundMessage, key };
            return { name: JOBS.deliver, data, opts: { jobId: jobIdOf(key) } };
          }),
        );
      }
      if ((await dispatcher.escalations.size()) > 0) await dispatcher.wakeDigest();
    } catch (error) {
      // Posted already: a lost DM or wake-up is logged, never a reason to post again.
      logger.error('support digest: queueing requester DMs failed', error);
    }
  }

  /** Records that a message is spent (delivered, stale or refused): a repeat posts nothing. */
  function markDelivered(key: string, outcome: string): Promise<void> {
    return recordWithRetry(kv, logger, key, outcome, DELIVERED_TTL_MS);
  }

  /**
   * A DM the channel refused for good: recorded as spent (a repeat posts nothing), and support
   * gets a case naming the reason, since the person will not hear of it otherwise. A notice
   * that was already meant for the support channel (no owner) is only logged.
   */
  async function refused(message: OutboundMessage, key: string, code: string): Promise<string> {
    const outcome = `refused:${code}`;
    await markDelivered(deliveredKey(key), outcome);
    const userId = 'userId' in message ? message.userId : '';
    logger.error(
      `direct-messages: ${delivery.channel} refused ${message.kind} for ${message.certificateId} to ${userId || 'the support channel'} (${code}); given up`,
    );
    if (!userId) return outcome;
    try {
      await dispatcher.dispatch(
        {
          kind: 'escalation',
          cause: 'delivery_refused',
          certificateId: message.certificateId,
          requesterId: userId,
          detail: `${code} (${message.kind})`,
        },
        `${key}:refused`,
      );
    } catch (error) {
      logger.error('direct-messages: queueing the support case of a refused DM failed', error);
    }
    return outcome;
  }

  direct.on('error', (error) => logger.error('direct-messages worker error', error));
  support.on('error', (error) => logger.error('support-messages worker error', error));
  for (const worker of [direct, support]) {
    worker.on('failed', (job, error) => logFailed(logger, worker.name, job, error));
  }
  return { direct, support };
}

/** A failed attempt: a warning while retries remain, an error when the message is given up. */
export function logFailed(logger: Logger, queue: string, job: Job | undefined, error: Error): void {
  const attempts = job?.opts.attempts ?? 1;
  const made = job?.attemptsMade ?? attempts;
  const line = `${queue} job ${job?.id} failed (attempt ${made}/${attempts}): ${error.message}`;
  if (made >= attempts || error instanceof UnrecoverableError)
    logger.error(`${line}; given up (the delivery sweep tries it again later)`);
  else logger.warn(`${line}; retried later`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
