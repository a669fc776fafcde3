import type { App } from '@slack/bolt';
import type { Clock } from '../../domain/clock.js';
import type { Store } from '../../usecases/ports.js';
import { registerCertCommand } from './commands/cert.js';

/** What listeners may use: use cases' dependencies, never Redis or BullMQ directly. */
export interface SlackDeps {
  readonly store: Store;
  readonly clock: Clock;
}

export function registerListeners(app: App, deps: SlackDeps): void {
  registerCertCommand(app, deps);
}
