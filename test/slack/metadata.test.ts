import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { button } from '../../src/slack/blocks.js';
import { LIMITS } from '../../src/slack/limits.js';
import { decodeMetadata, encodeMetadata, MetadataError } from '../../src/slack/metadata.js';

const renew = z.object({ r: z.string().regex(/^req_\w+$/), a: z.enum(['renew', 'revoke']) });

function errorOf(fn: () => unknown): MetadataError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MetadataError) return error;
    throw error;
  }
  throw new Error('expected a MetadataError');
}

describe('encodeMetadata / decodeMetadata', () => {
  it('round-trips as compact JSON', () => {
    const text = encodeMetadata(renew, { r: 'req_123', a: 'renew' });
    expect(text).toBe('{"r":"req_123","a":"renew"}');
    expect(decodeMetadata(renew, text)).toEqual({ r: 'req_123', a: 'renew' });
  });

  it('round-trips non-ASCII text', () => {
    const note = z.object({ n: z.string() });
    expect(decodeMetadata(note, encodeMetadata(note, { n: '续期 😀' }))).toEqual({ n: '续期 😀' });
  });

  it('leaves out keys the schema strips', () => {
    const value = { r: 'req_1', a: 'renew', secret: 'x' } as z.infer<typeof renew>;
    expect(encodeMetadata(renew, value)).toBe('{"r":"req_1","a":"renew"}');
  });

  it('fits a button value', () => {
    const value = encodeMetadata(renew, { r: 'req_9', a: 'revoke' }, LIMITS.buttonValue);
    expect(button({ actionId: 'act', text: 'Revoke', value }).value).toBe(value);
  });

  it('refuses a value that does not match its schema (a bug on our side)', () => {
    const value = { r: 'nope', a: 'renew' } as const;
    expect(errorOf(() => encodeMetadata(renew, value)).reason).toBe('invalid_value');
  });

  it('refuses to encode past the limit, exactly at it', () => {
    const blob = z.object({ b: z.string() });
    const at = { b: 'x'.repeat(LIMITS.privateMetadata - 8) }; // {"b":""} is 8 characters
    expect(encodeMetadata(blob, at)).toHaveLength(LIMITS.privateMetadata);
    const over = { b: 'x'.repeat(LIMITS.privateMetadata - 7) };
    expect(errorOf(() => encodeMetadata(blob, over)).reason).toBe('too_long');
    expect(errorOf(() => encodeMetadata(blob, { b: 'xx' }, 9)).reason).toBe('too_long');
  });

  it('rejects missing metadata', () => {
    expect(errorOf(() => decodeMetadata(renew, undefined)).reason).toBe('empty');
    expect(errorOf(() => decodeMetadata(renew, '')).reason).toBe('empty');
  });

  it('rejects tampered JSON', () => {
    for (const text of ['{"r":"req_1","a":"renew"', 'req_1', "{'r':'req_1'}", '{"r":"req_1",}']) {
      const error = errorOf(() => decodeMetadata(renew, text));
      expect(error.reason).toBe('not_json');
      expect(error.cause).toBeInstanceOf(SyntaxError);
    }
  });

  it('rejects the wrong shape', () => {
    for (const text of [
      'null',
      '[]',
      '"req_1"',
      '{"r":"req_1"}',
      '{"r":"req_1","a":"delete"}',
      '{"r":123,"a":"renew"}',
      '{"r":"../../etc","a":"renew"}',
    ]) {
      const error = errorOf(() => decodeMetadata(renew, text));
      expect(error.reason, text).toBe('invalid');
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe('MetadataError');
    }
  });

  it('does not let __proto__ through', () => {
    const decoded = decodeMetadata(renew, '{"r":"req_1","a":"renew","__proto__":{"admin":true}}');
    expect(decoded).toEqual({ r: 'req_1', a: 'renew' });
    expect((decoded as Record<string, unknown>).admin).toBeUndefined();
  });

  it('rejects oversize input before parsing it', () => {
    const huge = `{"r":"req_1","a":"renew","pad":"${'x'.repeat(LIMITS.privateMetadata)}"}`;
    expect(errorOf(() => decodeMetadata(renew, huge)).reason).toBe('too_long');
    const value = encodeMetadata(renew, { r: 'req_1', a: 'renew' });
    expect(errorOf(() => decodeMetadata(renew, value, 10)).reason).toBe('too_long');
  });
});
