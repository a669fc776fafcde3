import type { CertOpsEvent } from '../usecases/ports/index.js';
import type { SlackClient, SlackDeps, SlackFeature } from './deps.js';
import { FEATURES } from './features/index.js';

/** One feature's `notify` handlers: how it turns events into messages. */
export type FeatureNotify = NonNullable<SlackFeature['notify']>;

/**
 * The handlers each event goes to, by feature name. The name is part of the notification job's
 * id (one job per event and feature), so it must stay the same across releases.
 */
export type Notifiers = ReadonlyMap<string, FeatureNotify>;

/** The features' `notify` handlers, by feature name. */
export const FEATURE_NOTIFIERS: Notifiers = new Map(
  FEATURES.flatMap((feature): [string, FeatureNotify][] =>
    feature.notify ? [[feature.name, feature.notify]] : [],
  ),
);

type Handler = (event: CertOpsEvent, client: SlackClient, deps: SlackDeps) => Promise<void>;

/** The names of the features that handle events of this type, in the order of FEATURES. */
export function notifiersOf(notifiers: Notifiers, type: CertOpsEvent['type']): string[] {
  return [...notifiers].filter(([, notify]) => notify[type] !== undefined).map(([name]) => name);
}

/**
 * Runs one feature's handler of the event. It throws when Slack refused a message (a retry may
 * fix that); false when the feature has no handler for it.
 */
export async function runNotifier(
  notifiers: Notifiers,
  feature: string,
  event: CertOpsEvent,
  client: SlackClient,
  deps: SlackDeps,
): Promise<boolean> {
  const handler = notifiers.get(feature)?.[event.type] as Handler | undefined;
  if (!handler) return false;
  await handler(event, client, deps);
  return true;
}
