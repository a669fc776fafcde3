import { defineMessages } from '../define.js';

/** Messages of the approvals feature. */
export const approvals = defineMessages({}, {});
