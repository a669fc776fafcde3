import { defineMessages } from '../define.js';

/** Messages of the purchase feature. */
export const purchase = defineMessages({}, {});
