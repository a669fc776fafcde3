import { defineMessages } from '../define.js';

/** Messages of the queries feature. */
export const queries = defineMessages({}, {});
