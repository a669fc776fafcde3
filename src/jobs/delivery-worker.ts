import { type Logger, webApi } from '@slack/bolt';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { z } from 'zod';
import type { SlackClient, SlackDeps } from '../slack/deps.js';
import {
  type DeliveryOutcome,
  deliverEscalations,
  deliverMessage,
  type KeyedEscalation,
} from '../slack/features/clocks.js';
import { platformError } from '../slack/replies.js';
import type { OutboundMessage } from '../usecases/outbound.js';
import type { BullmqDispatcher, DeliveryJob } from './bullmq-dispatcher.js';
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
/** Slack errors that no retry can fix: the DM job fails at once (kept a week to look at). */
export const PERMANENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'is_archived',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
]);

export const deliveredKey = (key: string) => `delivered:${key}`;
const batchKey = (jobId: string) => `digest-batch:${jobId}`;

// Job data is read back from Redis: checked before use, like any input.
const id = z.string().min(1).max(64);
const user = z.string().max(32);
const escalationSchema = z.object({
  kind: z.literal('escalation'),
  cause: z.enum(['sla_breach', 'expired', 'renewal_failed']),
  certificateId: id,
  applicationId: id.optional(),
  requesterId: user.optional(),
  detail: z.string().max(2000).optional(),
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
]);
const deliveryJobSchema = z.object({ message: messageSchema, key: z.string().min(1).max(500) });
const batchSchema = z.array(
  z.object({ message: escalationSchema, key: z.string().min(1).max(500) }),
);

export interface DeliveryWorkerOptions {
  readonly settings: QueueSettings;
  readonly deps: SlackDeps;
  readonly dispatcher: BullmqDispatcher;
  readonly logger: Logger;
  /** The bot token and Web API base (`config.slack`): the workers use a client of their own. */
  readonly slack: { readonly botToken: string; readonly apiUrl: string };
  /** How long a job is locked before another worker may take it over (BullMQ lockDuration). */
  readonly lockDurationMs?: number;
  /** Escalations per digest run; DIGEST_BATCH by default. */
  readonly digestBatch?: number;
}

export interface DeliveryWorkers {
  /** `direct-messages`: DMs (and owner-less notices to the support channel). */
  readonly direct: Worker;
  /** `support-messages`: the support digest, paced for the one channel. */
  readonly support: Worker;
}

/**
 * The workers that post what the clocks dispatched. Their Slack client never waits on a 429:
 * the job goes back to the queue for Retry-After (`Worker.RateLimitError`, no attempt used),
 * and the limiter, shared by every worker, keeps the pace. Other failures are retried with
 * backoff. A key is posted at most once: it is recorded as delivered after the post, and a job
 * finding it recorded posts nothing.
 */
export function startDeliveryWorkers(options: DeliveryWorkerOptions): DeliveryWorkers {
  const { deps, dispatcher, logger, settings } = options;
  const client: SlackClient = new webApi.WebClient(options.slack.botToken, {
    slackApiUrl: options.slack.apiUrl,
    logger,
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    retryConfig: { retries: 0 },
  });
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
      if (await deps.kv.get(deliveredKey(key))) return 'already_delivered';
      let outcome: DeliveryOutcome;
      try {
        outcome = await deliverMessage(client, deps, message);
      } catch (error) {
        throw await failure(direct, error, 'direct');
      }
      await deps.kv.set(deliveredKey(key), outcome, DELIVERED_TTL_MS);
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
    const held = await deps.kv.get(batchKey(jobId));
    if (held !== undefined) {
      if (await deps.kv.get(done)) {
        await deps.kv.delete(batchKey(jobId));
        return { escalations: 0, posted: 'already_delivered' };
      }
      const parsed = batchSchema.safeParse(safeJson(held));
      items = parsed.success ? (parsed.data as KeyedEscalation[]) : [];
    } else {
      items = await dispatcher.escalations.drain(options.digestBatch ?? DIGEST_BATCH);
      if (items.length === 0) return { escalations: 0, posted: 'none' };
      await deps.kv.set(batchKey(jobId), JSON.stringify(items), BATCH_TTL_MS);
    }
    let posted: Awaited<ReturnType<typeof deliverEscalations>>;
    try {
      posted = await deliverEscalations(client, deps, items);
    } catch (error) {
      await dispatcher.escalations.restore(items, Date.now());
      await deps.kv.delete(batchKey(jobId));
      throw await failure(support, error, 'support');
    }
    await deps.kv.set(done, posted.posted, DELIVERED_TTL_MS);
    await deps.kv.delete(batchKey(jobId));
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

  /** What to throw for a failed post: Slack's 429 pauses the queue without using an attempt. */
  async function failure(worker: Worker, error: unknown, what: string): Promise<Error> {
    const retryAfter = rateLimitedFor(error);
    if (retryAfter !== undefined) {
      logger.warn(`${what}: Slack rate limited; retrying in ${retryAfter} s`);
      await worker.rateLimit(Math.max(1, retryAfter) * 1000);
      return Worker.RateLimitError();
    }
    const code = platformError(error);
    if (what === 'direct' && code && PERMANENT_SLACK_ERRORS.has(code))
      return new UnrecoverableError(`Slack refused the message: ${code}`);
    return error instanceof Error ? error : new Error(String(error));
  }

  direct.on('error', (error) => logger.error('direct-messages worker error', error));
  support.on('error', (error) => logger.error('support-messages worker error', error));
  for (const worker of [direct, support]) {
    worker.on('failed', (job, error) =>
      logger.warn(`${worker.name} job ${job?.id} failed: ${error.message}`),
    );
  }
  return { direct, support };
}

/** Slack's Retry-After (seconds) of a 429 refused by a client with `rejectRateLimitedCalls`. */
export function rateLimitedFor(error: unknown): number | undefined {
  const e = error as { code?: unknown; retryAfter?: unknown } | undefined;
  return e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number'
    ? e.retryAfter
    : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
