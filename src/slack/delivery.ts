import type { MessageDelivery, NotifierRoutes } from '../usecases/ports/index.js';
import type { SlackDeps } from './deps.js';
import { deliverEscalations, deliverMessage } from './features/clocks/index.js';
import { FEATURE_NOTIFIERS, type Notifiers, notifiersOf, runNotifier } from './notifier.js';
import { OncePoster, outcomeUnknown } from './once-poster.js';
import { classifySlackFailure, workerSlackClient } from './web-api-failures.js';

export interface SlackDeliveryOptions {
  readonly deps: SlackDeps;
  /** The bot token and Web API base (`config.slack`): delivery uses a client of its own. */
  readonly slack: { readonly botToken: string; readonly apiUrl: string };
  /** The job lock of the workers that deliver: how long a post's claim holds (see OncePoster). */
  readonly lockDurationMs?: number;
  /** The features' notifiers by default. */
  readonly notifiers?: Notifiers;
}

/**
 * The job workers' delivery over Slack: the clocks' messages and the features' notifications,
 * rendered here, posted through a client that never waits (a 429 or an outage comes back at once
 * for the queue to handle, see web-api-failures.ts), each post keyed by the job run that makes
 * it (OncePoster: a run repeated posts nothing twice).
 */
export function slackDelivery(options: SlackDeliveryOptions): MessageDelivery {
  const { deps } = options;
  const notifiers = options.notifiers ?? FEATURE_NOTIFIERS;
  const client = workerSlackClient(options.slack, deps.logger);
  const poster = new OncePoster({
    kv: deps.kv,
    logger: deps.logger,
    leaseMs: options.lockDurationMs,
  });
  return {
    channel: 'Slack',
    deliver: (message, runKey) => deliverMessage(poster.forJob(client, runKey), deps, message),
    deliverEscalations: (items, runKey) =>
      deliverEscalations(poster.forJob(client, runKey), deps, items),
    notify: (notifier, event, runKey) =>
      runNotifier(notifiers, notifier, event, poster.forJob(client, runKey), deps),
    classify: classifySlackFailure,
    outcomeUnknown,
  };
}

/** Which of the features' notifiers (or these) handle each event type. */
export function notifierRoutes(notifiers: Notifiers = FEATURE_NOTIFIERS): NotifierRoutes {
  return { notifiersOf: (type) => notifiersOf(notifiers, type) };
}
