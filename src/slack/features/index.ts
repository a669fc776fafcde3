import type { SlackFeature } from '../deps.js';
import { applyFeature } from './apply/index.js';
import { approvalsFeature } from './approvals/index.js';
import { caFeature } from './ca/index.js';
import { clocksFeature } from './clocks/index.js';
import { combineFeature } from './combine/index.js';
import { homeFeature } from './home/index.js';
import { purchaseFeature } from './purchase/index.js';
import { queriesFeature } from './queries/index.js';
import { renewFeature } from './renew/index.js';
import { supportFeature } from './support/index.js';
import { uploadFeature } from './upload/index.js';

/** Every feature of the Slack side, each in its own file. */
export const FEATURES: readonly SlackFeature[] = [
  queriesFeature,
  applyFeature,
  approvalsFeature,
  renewFeature,
  combineFeature,
  uploadFeature,
  purchaseFeature,
  homeFeature,
  supportFeature,
  clocksFeature,
  caFeature,
];
