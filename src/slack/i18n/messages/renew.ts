import { defineMessages } from '../define.js';

/** Messages of the renew feature. */
export const renew = defineMessages({}, {});
