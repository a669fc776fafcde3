import type { SlackFeature } from '../deps.js';

/** The approvals slice of the Slack side. */
export const approvalsFeature: SlackFeature = {};
