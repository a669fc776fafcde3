import { defineMessages } from '../define.js';

/** Messages of the combine feature. */
export const combine = defineMessages({}, {});
