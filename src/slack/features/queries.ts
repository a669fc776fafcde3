import type { SlackFeature } from '../deps.js';

/** The queries slice of the Slack side. */
export const queriesFeature: SlackFeature = {};
