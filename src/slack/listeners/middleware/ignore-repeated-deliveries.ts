import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { SlackDeps } from '../../deps.js';

/** Slack's last retry comes about 5 minutes after the first delivery: remember ids for 15. */
const SEEN_TTL_MS = 15 * 60 * 1000;

/**
 * Slack retries an event it thinks was not received (x-slack-retry-num). Each event is handled
 * once: its event_id is claimed in Redis, and a retry of a claimed event is acked and dropped.
 * Interactions are not retried by Slack; the store's version checks cover double clicks.
 */
export function ignoreRepeatedDeliveries(deps: SlackDeps): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next, context }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && eventId.length > 0 && eventId.length < 100) {
      const first = await deps.kv
        .setIfAbsent(`slack-event:${eventId}`, '1', SEEN_TTL_MS)
        .catch(() => true);
      if (!first) {
        deps.logger.debug(
          `ignoring repeated delivery of ${eventId} (retry ${context.retryNum ?? 0})`,
        );
        return;
      }
    }
    await next();
  };
}
