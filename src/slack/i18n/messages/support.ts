import { defineMessages } from '../define.js';

/** Messages of the support feature. */
export const support = defineMessages({}, {});
