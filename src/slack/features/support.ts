import type { SlackFeature } from '../deps.js';

/** The support slice of the Slack side. */
export const supportFeature: SlackFeature = {};
