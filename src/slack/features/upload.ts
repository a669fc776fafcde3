import type { SlackFeature } from '../deps.js';

/** The upload slice of the Slack side. */
export const uploadFeature: SlackFeature = {};
