import type { Result } from '../domain/result.js';
import type { UseCaseContext } from '../usecases/context.js';
import { type DecisionOutcome, purchaseRenewalAtCa } from '../usecases/decide-application.js';
import { SYSTEM_ACTOR } from '../usecases/expiry-check.js';
import {
  followCaOrder,
  ordersToPoll,
  renewalsToRetry,
  retrySubmission,
  submissionsToRetry,
} from '../usecases/follow-ca-order.js';
import type { Logger } from '../usecases/ports/index.js';
import { CA_POLL_EVERY_MS } from './schedulers.js';

/** Orders asked about per run: at CAS's 10 calls per second, about 20 seconds of work. */
export const CA_POLL_MAX_PER_RUN = 200;
/** This many CA errors in a row end the run early (CA down, throttling, bad credentials). */
export const CA_POLL_MAX_ERRORS_IN_A_ROW = 5;

export interface CaPollSummary {
  /** Submitted orders of polling CAs. */
  readonly pending: number;
  readonly polled: number;
  readonly issued: number;
  readonly failed: number;
  readonly waiting: number;
  readonly errors: number;
  /** Renewal purchases the CA refused before, asked again (only when there were some). */
  readonly renewals?: { readonly retried: number; readonly bought: number };
  /** Submissions the CA refused for a passing reason, made again (only when there were some). */
  readonly submissions?: { readonly retried: number; readonly submitted: number };
}

/**
 * One run of the CA poll: buys the renewals the CA refused to sell before (approved renewal
 * purchases, through `purchaseRenewalAtCa`, which never buys twice), submits again the
 * applications the CA refused for a passing reason (`submitToCa`), then asks the polling CAs
 * (Alibaba Cloud CAS) about submitted orders and
 * records what they say through `followCaOrder` (issued, validation failed, still waiting).
 * Calls go one at a time, so the provider's per-operation pacing holds; a run takes at most
 * `max` orders, starting at an offset that moves each period so that every order gets its turn
 * when there are more. Safe to run twice: the use case records each outcome once.
 */
export async function runCaPoll(
  ctx: UseCaseContext,
  logger: Logger,
  options: { readonly max?: number } = {},
): Promise<CaPollSummary> {
  const max = options.max ?? CA_POLL_MAX_PER_RUN;
  const bought = await retry(
    await renewalsToRetry(ctx),
    (id) => purchaseRenewalAtCa(ctx, id, SYSTEM_ACTOR),
    'renewal',
    logger,
    max,
  );
  const renewals = { retried: bought.retried, bought: bought.succeeded };
  const made = await retry(
    await submissionsToRetry(ctx),
    (id) => retrySubmission(ctx, id),
    'submission',
    logger,
    max,
  );
  const submissions = { retried: made.retried, submitted: made.succeeded };
  const ids = (await ordersToPoll(ctx)).sort();
  const period = Math.floor(ctx.clock.now().getTime() / CA_POLL_EVERY_MS);
  const start = ids.length > max ? (period * max) % ids.length : 0;
  const batch = [...ids.slice(start), ...ids.slice(0, start)].slice(0, max);
  const counts = { polled: 0, issued: 0, failed: 0, waiting: 0, errors: 0 };
  let errorsInARow = 0;
  for (const id of batch) {
    counts.polled++;
    const result = await followCaOrder(ctx, id, { verify: false });
    if (result.ok) {
      errorsInARow = 0;
      counts[result.value.kind === 'issued' ? 'issued' : result.value.kind]++;
      continue;
    }
    counts.errors++;
    const { code, params } = result.refusal;
    // The provider has logged its own errors (without secrets); other refusals are news here.
    const line = `ca poll: application ${id}: ${code} ${JSON.stringify(params ?? {})}`;
    if (code === 'ca.error') logger.debug(line);
    else logger.warn(line);
    errorsInARow = code === 'ca.error' ? errorsInARow + 1 : 0;
    if (errorsInARow >= CA_POLL_MAX_ERRORS_IN_A_ROW) {
      logger.warn(`ca poll: ${errorsInARow} CA errors in a row; the next run tries again`);
      break;
    }
  }
  const summary = {
    pending: ids.length,
    ...counts,
    ...(renewals.retried > 0 ? { renewals } : {}),
    ...(submissions.retried > 0 ? { submissions } : {}),
  };
  if (summary.polled > 0) logger.info(`ca poll: ${JSON.stringify(summary)}`);
  return summary;
}

/**
 * Calls the CA again for approved applications it refused before, oldest id first, at most
 * `max`; a CA error stops the run's retries (the CA is down or throttling).
 */
async function retry(
  ids: readonly string[],
  /** Undefined: another run is making this call (not counted). */
  call: (id: string) => Promise<Result<DecisionOutcome> | undefined>,
  what: string,
  logger: Logger,
  max: number,
): Promise<{ retried: number; succeeded: number }> {
  const counts = { retried: 0, succeeded: 0 };
  for (const id of [...ids].sort().slice(0, max)) {
    const result = await call(id);
    if (result === undefined) continue;
    counts.retried++;
    if (result.ok && result.value.caError === undefined) counts.succeeded++;
    else if (!result.ok)
      logger.warn(
        `ca poll: ${what} ${id}: ${result.refusal.code} ${JSON.stringify(result.refusal.params ?? {})}`,
      );
    else break;
  }
  return counts;
}
