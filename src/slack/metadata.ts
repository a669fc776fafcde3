import type { z } from 'zod';
import { LIMITS } from './limits.js';

export type MetadataErrorReason = 'invalid_value' | 'too_long' | 'empty' | 'not_json' | 'invalid';

/** Metadata that cannot be encoded (our bug) or decoded (missing, tampered, or stale). */
export class MetadataError extends Error {
  constructor(
    readonly reason: MetadataErrorReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MetadataError';
  }
}

/**
 * Compact JSON for a view's `private_metadata` or a button's `value`, checked against `schema`
 * (unknown keys it strips are left out) and against `maxLength` (default: private_metadata).
 * Keep it to ids, e.g. `{ r: 'req_123', a: 'renew' }`, and re-read the entity on submit.
 */
export function encodeMetadata<T>(
  schema: z.ZodType<T>,
  value: T,
  maxLength: number = LIMITS.privateMetadata,
): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new MetadataError('invalid_value', mismatch(parsed.error));
  }
  const text = JSON.stringify(parsed.data);
  if (text.length > maxLength) {
    throw new MetadataError('too_long', tooLong(text, maxLength));
  }
  return text;
}

/**
 * Parses metadata that came back from Slack. It is untrusted (a client can send any
 * `value`), so it is always validated; anything else throws a MetadataError.
 */
export function decodeMetadata<T>(
  schema: z.ZodType<T>,
  text: string | undefined,
  maxLength: number = LIMITS.privateMetadata,
): T {
  if (text === undefined || text === '') throw new MetadataError('empty', 'metadata is missing');
  // Checked before parsing so an oversized payload costs nothing.
  if (text.length > maxLength) {
    throw new MetadataError('too_long', tooLong(text, maxLength));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MetadataError('not_json', 'metadata is not JSON', { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new MetadataError('invalid', mismatch(parsed.error), { cause: parsed.error });
  }
  return parsed.data;
}

function tooLong(text: string, max: number): string {
  return `metadata is ${text.length} characters, the limit is ${max}`;
}

function mismatch(error: z.ZodError): string {
  const issues = error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return `metadata does not match its schema: ${issues.join('; ')}`;
}
