import type { CertOpsEvent, EventSink } from '../usecases/events.js';
import type { SlackClient, SlackDeps } from './deps.js';
import { FEATURES } from './features/index.js';

/**
 * Delivers use-case events to Slack through the features' `notify` handlers. The change behind
 * an event is already committed, so a delivery failure is logged, never thrown back.
 */
export class SlackNotifier implements EventSink {
  private client: SlackClient | undefined;
  private deps: SlackDeps | undefined;

  /** The client exists once Bolt has started; events before that are only logged. */
  attach(client: SlackClient, deps: SlackDeps): void {
    this.client = client;
    this.deps = deps;
  }

  async publish(event: CertOpsEvent): Promise<void> {
    const { client, deps } = this;
    if (!client || !deps) return;
    for (const feature of FEATURES) {
      const handler = feature.notify?.[event.type] as
        | ((e: CertOpsEvent, c: SlackClient, d: SlackDeps) => Promise<void>)
        | undefined;
      if (!handler) continue;
      try {
        await handler(event, client, deps);
      } catch (error) {
        deps.logger.error(`delivering ${event.type} failed`, error);
      }
    }
  }
}
