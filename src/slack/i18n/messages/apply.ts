import { defineMessages } from '../define.js';

/** Messages of the apply feature. */
export const apply = defineMessages({}, {});
