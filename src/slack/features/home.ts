import type { SlackFeature } from '../deps.js';

/** The home slice of the Slack side. */
export const homeFeature: SlackFeature = {};
