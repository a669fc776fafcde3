import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-redis.ts'],
    // Bounds for a hang, not for speed: under a CPU hog the slowest tests take 4x their quiet
    // time, and each waits for its own events rather than for a clock.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Measured on 2 cores, whole suite, quiet machine (docs/testing.md): forks with isolation
    // 110 s, threads 91 s, 3 workers 85 s; without isolation 66 s (2 workers) / 59 s (3). Half
    // of an isolated run is every file importing Bolt, BullMQ and the CAS SDK again; test files
    // share no module state (no vi.mock, fake timers restored), so one import per worker does.
    // Two workers, not three: under a CPU hog the third only adds contention for the same cores.
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
  },
});
