import type { SlackFeature } from '../deps.js';
import { applyFeature } from './apply.js';
import { approvalsFeature } from './approvals/index.js';
import { caFeature } from './ca.js';
import { clocksFeature } from './clocks.js';
import { combineFeature } from './combine.js';
import { homeFeature } from './home.js';
import { purchaseFeature } from './purchase.js';
import { queriesFeature } from './queries.js';
import { renewFeature } from './renew.js';
import { supportFeature } from './support.js';
import { uploadFeature } from './upload.js';

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
