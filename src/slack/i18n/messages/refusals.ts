import { defineMessages } from '../define.js';

/** Messages of the refusals feature. */
export const refusals = defineMessages({}, {});
