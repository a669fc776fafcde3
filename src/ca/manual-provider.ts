import type { CaProvider, CaRegistry } from '../usecases/ports/index.js';

/**
 * The CA outside the bot: support submits the order by hand and records the outcome in Slack
 * (issued with the certificate PEM, or validation failed with the reason).
 */
export const manualProvider: CaProvider = {
  name: 'manual',
  outcomes: 'manual',
  async submit({ application }) {
    return { orderId: `manual-${application.id}` };
  },
};

export const manualOnly: CaRegistry = { providerFor: () => manualProvider };
