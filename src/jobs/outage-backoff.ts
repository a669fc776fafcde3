import { Worker } from 'bullmq';
import type { DeliveryFailure, Logger } from '../usecases/ports/index.js';

/** Bounds of the pause between probes while the delivery channel (Slack) is unavailable. */
export interface OutageBackoffSettings {
  /** The first pause (ms). */
  readonly firstMs: number;
  /** The longest pause (ms): how late a message can be once the channel is back. */
  readonly maxMs: number;
}

export const DEFAULT_OUTAGE_BACKOFF: OutageBackoffSettings = { firstMs: 1000, maxMs: 300_000 };
/** An outage is logged at error level once it has lasted this long. */
export const OUTAGE_REPORT_AFTER_MS = 60_000;

/**
 * The pause a queue takes while the channel is unavailable: doubled at each failed probe,
 * capped, and back to the first once a message goes through. Failures of calls made during one
 * pause (several jobs were in flight when the channel went away) count once.
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

  /** A message went through: the channel is back. */
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
 * What a job processor throws for a delivery that failed other than by a permanent refusal
 * (the processor spends the message itself then). A rate limit and an outage pause the queue for
 * every worker (BullMQ's manual rate limit) and put the job back without using an attempt: a
 * message stays due however long the channel is away. Anything else is thrown as it is, to be
 * retried with the job's backoff and given up after its attempts.
 */
export async function retryLater(
  worker: Worker,
  error: unknown,
  failure: Exclude<DeliveryFailure, { kind: 'refused' }>,
  backoff: OutageBackoff,
  logger: Logger,
  what: string,
  channel: string,
): Promise<Error> {
  switch (failure.kind) {
    case 'rate_limited':
      logger.warn(`${what}: ${channel} rate limited; retrying in ${failure.retryAfterMs / 1000} s`);
      await worker.rateLimit(failure.retryAfterMs);
      return Worker.RateLimitError();
    case 'unavailable': {
      const pause = backoff.next();
      const line = `${what}: ${channel} unavailable (${failure.reason}); messages stay queued, next try in ${Math.ceil(pause / 1000)} s`;
      if (backoff.reportDue(OUTAGE_REPORT_AFTER_MS))
        logger.error(`${line}; ${channel} has been unavailable for over a minute`);
      else logger.warn(line);
      await worker.rateLimit(pause);
      return Worker.RateLimitError();
    }
    case 'failed':
      return error instanceof Error ? error : new Error(`${what}: ${failure.reason}`);
  }
}
