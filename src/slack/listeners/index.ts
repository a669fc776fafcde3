import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps.js';
import { FEATURES } from '../features/index.js';
import { registerCertCommand } from './commands/cert.js';
import { ignoreRepeatedDeliveries } from './middleware/ignore-repeated-deliveries.js';

export function registerListeners(app: App, deps: SlackDeps): void {
  app.use(ignoreRepeatedDeliveries(deps));
  registerCertCommand(app, deps);
  for (const feature of FEATURES) feature.register?.(app, deps);
}
