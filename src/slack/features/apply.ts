import type { SlackFeature } from '../deps.js';

/** The apply slice of the Slack side. */
export const applyFeature: SlackFeature = {};
