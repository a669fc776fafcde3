import { generateKeyPairSync } from 'node:crypto';
import { LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger, redact } from '../../src/infra/logger.js';

describe('logger', () => {
  it('writes one JSON line per call at or above its level', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: LogLevel.INFO,
      write: (l) => lines.push(l),
      now: () => new Date(0),
    });
    logger.debug('hidden');
    logger.info('shown', { a: 1 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      name: 'certops',
      msg: 'shown { a: 1 }',
    });
  });

  it('never prints tokens, configured secrets, private keys or Redis passwords', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const lines: string[] = [];
    const logger = createLogger({ secrets: ['s3cr3t-signing-value'], write: (l) => lines.push(l) });
    logger.error('failed', {
      token: 'xoxb-123-456-abcdef',
      app: 'xapp-1-A1-xyz',
      header: 'Authorization: Bearer xoxp-9-9-9',
      signing: 'value s3cr3t-signing-value here',
      url: 'redis://default:hunter2@redis:6379/0',
      pem,
    });
    const out = lines.join('\n');
    for (const leaked of [
      '123-456-abcdef',
      '1-A1-xyz',
      'xoxp-9',
      's3cr3t-signing-value',
      'hunter2',
      'PRIVATE KEY',
      pem.split('\n')[1],
    ]) {
      expect(out).not.toContain(leaked);
    }
    expect(out).toContain('redis://default:***@redis:6379/0');
  });

  it('redacts an unterminated private key to the end', () => {
    expect(redact('x -----BEGIN RSA PRIVATE KEY-----\nMIIabc')).toBe('x [private key redacted]');
  });
});
