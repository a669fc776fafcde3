import { defineMessages } from '../define.js';

/** Messages of the home feature. */
export const home = defineMessages({}, {});
