import type { CertOpsEvent, EventSink } from '../usecases/events.js';
import type { SlackClient, SlackDeps } from './deps.js';
import { FEATURES } from './features/index.js';

/**
 * Delivers use-case events to Slack through the features' `notify` handlers, in the background:
 * `publish` returns at once, because a use case runs inside a Slack request that must be acked
 * within 3 s, and its change is already committed. Failures are logged, never thrown back.
 * `drain()` waits for deliveries in flight (graceful shutdown, tests).
 */
export class SlackNotifier implements EventSink {
  private client: SlackClient | undefined;
  private deps: SlackDeps | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  /** The client exists once Bolt has started; events before that are only logged. */
  attach(client: SlackClient, deps: SlackDeps): void {
    this.client = client;
    this.deps = deps;
  }

  async publish(event: CertOpsEvent): Promise<void> {
    const delivery = this.deliver(event).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(event: CertOpsEvent): Promise<void> {
    // Let the caller's request finish first.
    await new Promise<void>((resolve) => setImmediate(resolve));
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
