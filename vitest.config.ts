import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-redis.ts'],
    testTimeout: 15_000,
    hookTimeout: 15_000,
    // Two cores: more workers only add contention for the one Redis.
    maxWorkers: 2,
  },
});
