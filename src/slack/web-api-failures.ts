import { webApi } from '@slack/bolt';
import type { DeliveryFailure, Logger } from '../usecases/ports/index.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackClient } from './deps.js';
import { platformError } from './replies.js';

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

/**
 * What a failed Slack Web API call means for the message it carried (DeliveryFailure): a 429 is
 * `rate_limited` (its Retry-After); a 5xx, a timeout, a network error or Slack's own
 * `internal_error`-like answers are `unavailable`; PERMANENT_SLACK_ERRORS are `refused`.
 */
export function classifySlackFailure(error: unknown): DeliveryFailure {
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
