import type { SlackFeature } from '../deps.js';

/** The renew slice of the Slack side. */
export const renewFeature: SlackFeature = {};
