import type { SlackFeature } from '../deps.js';

/** The combine slice of the Slack side. */
export const combineFeature: SlackFeature = {};
