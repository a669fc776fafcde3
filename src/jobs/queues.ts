import type { ConnectionOptions, DefaultJobOptions } from 'bullmq';

/**
 * The queues, one concept each:
 * - `clock`: wake-ups (daily expiry check, review sweep, review alarms at SLA points, and the
 *   CA poll that asks polling CAs such as Alibaba Cloud CAS how submitted orders stand);
 * - `direct-messages`: DMs to people; its own queue so it can never starve escalations;
 * - `support-messages`: escalations to the one support channel, paced for Slack's ~1 message
 *   per second per channel by a limiter shared by every worker;
 * - `notifications`: what use cases publish after their commit (an approval request, a decision
 *   DM), one job per event and feature handler, so a crash or a Slack failure loses nothing.
 */
export const QUEUES = {
  clock: 'clock',
  directMessages: 'direct-messages',
  supportMessages: 'support-messages',
  notifications: 'notifications',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  expiryCheck: 'expiry-check',
  reviewSweep: 'review-sweep',
  reviewCheck: 'review-check',
  deliver: 'deliver',
  digest: 'support-digest',
  caPoll: 'ca-poll',
  deliverySweep: 'delivery-sweep',
} as const;

/** Slack: about one message per second per channel; a little slower keeps clear of 429s. */
export const SUPPORT_CHANNEL_LIMIT = { max: 1, duration: 1100 } as const;
/** DMs go to many channels; stay well under the workspace-wide pace. */
export const DIRECT_MESSAGE_LIMIT = { max: 10, duration: 1000 } as const;
/**
 * Notifications follow what people do, so they come in small bursts; the limiter is what lets a
 * 429's Retry-After pause the queue (BullMQ's manual rate limit needs one).
 */
export const NOTIFICATION_LIMIT = { max: 20, duration: 1000 } as const;

/**
 * Retries with exponential backoff; finished jobs are kept a while (a day, or a week when they
 * failed) so that their ids keep absorbing repeats of the same message, then removed.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2000, jitter: 0.3 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** BullMQ custom job ids must not contain ':' nor be all digits. */
export function jobIdOf(key: string): string {
  const id = key.replace(/[^A-Za-z0-9_.-]/g, '-');
  return /^\d+$/.test(id) ? `j-${id}` : id;
}

export interface QueueSettings {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
}
