import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteByPattern, type TestRedis, testRedis } from '../support/redis.js';

/**
 * `npm run try` as a newcomer runs it, with lines piped in: the real entry point, a private key
 * prefix on the test Redis, and a clean exit.
 */
describe('npm run try (the process)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await testRedis();
  });
  afterAll(async () => {
    await rm(`/tmp/${redis.prefix}`, { recursive: true, force: true });
    await deleteByPattern(redis.redis, `${redis.prefix}-q:*`);
    await redis.cleanup();
  });

  it('seeds the demo, answers piped commands and exits 0 on quit', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tools/try/main.ts', '--demo', '--prefix', redis.prefix, '--as', 'UBOB'],
      {
        env: { ...process.env, REDIS_URL: redis.url, CERTOPS_DATA_DIR: `/tmp/${redis.prefix}` },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stdin.end('who\n/cert list mine\nquit\n');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(out).toContain('Demo instances');
    expect(out).toContain('* UBOB');
    expect(out).toMatch(/only UBOB sees this\n[\s\S]*mail\.example\.com/);
    expect(code).toBe(0);
    // The demo's keys went where it was told, under the given prefix.
    expect((await redis.redis.keys(`${redis.prefix}:cert:*`)).length).toBeGreaterThan(10);
  }, 60_000);

  it('refuses a bad flag with one line and the usage', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tools/try/main.ts', '--prefix', 'a b'],
      {
        env: { ...process.env, REDIS_URL: redis.url },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(64);
    expect(err).toContain('--prefix "a b"');
    expect(err).toContain('npm run try');
  }, 60_000);
});
