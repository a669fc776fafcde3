import { webApi } from '@slack/bolt';
import { Worker } from 'bullmq';
import { boltLogger } from '../slack/bolt-logger.js';
import type { SlackClient } from '../slack/deps.js';
import { platformError } from '../slack/replies.js';
import type { Logger } from '../usecases/ports/index.js';

/**
 * What a failed Slack Web API call means for the message it carried:
 * - `rate_limited`: a 429; wait its Retry-After.
 * - `unavailable`: Slack is down or out of reach (a 5xx, a timeout, a network error, Slack's own
 *   `internal_error`-like answers). Nothing is wrong with the message: it stays due.
 * - `refused`: Slack refused this message for good (`channel_not_found`, `is_archived`, ...): no
 *   retry can fix it, so it is spent and someone is told.
 * - `failed`: anything else (a bug, an answer we do not know): retried with backoff, and given up
 *   after the job's attempts.
 */
export type SlackFailure =
  | { readonly kind: 'rate_limited'; readonly retryAfterMs: number }
  | { readonly kind: 'unavailable'; readonly reason: string }
  | { readonly kind: 'refused'; readonly code: string }
  | { readonly kind: 'failed'; readonly reason: string };

/** Slack errors that no retry can fix. */
export const PERMANENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'user_not_found',
  'user_disabled',
  'cannot_dm_bot',
  'is_archived',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
  'restricted_action',
]);

/**
 * Answers about the app's token itself: a revoked or expired token stops every message alike,
 * and an operator fixes it. Treated as Slack being unavailable to CertOps: messages stay due
 * (reported at error level while it lasts), none is spent on it. (A missing scope is about one
 * method, so one message: it fails and retries like any error, never holding the queue.)
 */
const APP_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
]);

/** `ok: false` answers that mean Slack itself is having trouble (Web API docs, "Errors"). */
const UNAVAILABLE_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/**
 * The Slack client of a queue worker: it never waits or retries by itself (no 429 sleep, no
 * retries), so every failure comes back at once to be classified and handled by the queue.
 */
export function workerSlackClient(
  slack: { readonly botToken: string; readonly apiUrl: string },
  logger: Logger,
): SlackClient {
  return new webApi.WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    logger: boltLogger(logger),
    rejectRateLimitedCalls: true,
    timeout: 10_000,
    retryConfig: { retries: 0 },
  });
}

export function classifySlackFailure(error: unknown): SlackFailure {
  const e = error as
    | { code?: unknown; retryAfter?: unknown; statusCode?: unknown; original?: unknown }
    | undefined;
  if (e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number')
    return { kind: 'rate_limited', retryAfterMs: Math.max(1, e.retryAfter) * 1000 };
  if (e?.code === webApi.ErrorCode.RequestError) {
    const original = e.original as { code?: unknown; message?: unknown } | undefined;
    return {
      kind: 'unavailable',
      reason: `network: ${String(original?.code ?? original?.message ?? 'request failed')}`,
    };
  }
  if (e?.code === webApi.ErrorCode.HTTPError && typeof e.statusCode === 'number') {
    if (e.statusCode >= 500 || e.statusCode === 408)
      return { kind: 'unavailable', reason: `HTTP ${e.statusCode}` };
    return { kind: 'failed', reason: `HTTP ${e.statusCode}` };
  }
  const code = platformError(error);
  if (code && UNAVAILABLE_SLACK_ERRORS.has(code)) return { kind: 'unavailable', reason: code };
  if (code && APP_SLACK_ERRORS.has(code))
    return { kind: 'unavailable', reason: `${code}: check the bot token` };
  if (code && PERMANENT_SLACK_ERRORS.has(code)) return { kind: 'refused', code };
  return {
    kind: 'failed',
    reason: code ?? (error instanceof Error ? error.message : String(error)),
  };
}

/** Bounds of the pause between probes while Slack is unavailable. */
export interface OutageBackoffSettings {
  /** The first pause (ms). */
  readonly firstMs: number;
  /** The longest pause (ms): how late a message can be once Slack is back. */
  readonly maxMs: number;
}

export const DEFAULT_OUTAGE_BACKOFF: OutageBackoffSettings = { firstMs: 1000, maxMs: 300_000 };
/** An outage is logged at error level once it has lasted this long. */
export const OUTAGE_REPORT_AFTER_MS = 60_000;

/**
 * The pause a queue takes while Slack is unavailable: doubled at each failed probe, capped, and
 * back to the first once a post goes through. Failures of calls made during one pause (several
 * jobs were in flight when Slack went away) count once.
 */
export class OutageBackoff {
  private failures = 0;
  private pausedUntil = 0;
  private since: number | undefined;
  private reported = false;

  constructor(
    private readonly settings: OutageBackoffSettings = DEFAULT_OUTAGE_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {}

  /** How long to pause from now (ms). */
  next(): number {
    const now = this.now();
    this.since ??= now;
    if (now < this.pausedUntil) return this.pausedUntil - now;
    const { firstMs, maxMs } = this.settings;
    const pause = Math.min(maxMs, firstMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    this.pausedUntil = now + pause;
    return pause;
  }

  /** A post went through: Slack is back. */
  recovered(): void {
    this.failures = 0;
    this.pausedUntil = 0;
    this.since = undefined;
    this.reported = false;
  }

  /**
   * True once per outage, when it has lasted `afterMs`: a blip is a warning, an outage that
   * holds messages back is an error someone should see.
   */
  reportDue(afterMs: number): boolean {
    if (this.reported || this.since === undefined || this.now() - this.since < afterMs)
      return false;
    this.reported = true;
    return true;
  }
}

/**
 * What a job processor throws for a Slack call that failed other than by a permanent refusal
 * (the processor spends the message itself then). A 429 and an outage pause the queue for every
 * worker (BullMQ's manual rate limit) and put the job back without using an attempt: a message
 * stays due however long Slack is away. Anything else is thrown as it is, to be retried with the
 * job's backoff and given up after its attempts.
 */
export async function retryLater(
  worker: Worker,
  error: unknown,
  failure: Exclude<SlackFailure, { kind: 'refused' }>,
  backoff: OutageBackoff,
  logger: Logger,
  what: string,
): Promise<Error> {
  switch (failure.kind) {
    case 'rate_limited':
      logger.warn(`${what}: Slack rate limited; retrying in ${failure.retryAfterMs / 1000} s`);
      await worker.rateLimit(failure.retryAfterMs);
      return Worker.RateLimitError();
    case 'unavailable': {
      const pause = backoff.next();
      const line = `${what}: Slack unavailable (${failure.reason}); messages stay queued, next try in ${Math.ceil(pause / 1000)} s`;
      if (backoff.reportDue(OUTAGE_REPORT_AFTER_MS))
        logger.error(`${line}; Slack has been unavailable for over a minute`);
      else logger.warn(line);
      await worker.rateLimit(pause);
      return Worker.RateLimitError();
    }
    case 'failed':
      return error instanceof Error ? error : new Error(`${what}: ${failure.reason}`);
  }
}
