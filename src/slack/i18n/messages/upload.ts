import { defineMessages } from '../define.js';

/** Messages of the upload feature. */
export const upload = defineMessages({}, {});
