import type { SlackFeature } from '../deps.js';

/** The purchase slice of the Slack side. */
export const purchaseFeature: SlackFeature = {};
