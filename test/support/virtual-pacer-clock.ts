import type { PacerClock } from '../../src/ca/alibaba-cas-limiter.js';

/**
 * A virtual clock for the CAS pacers: a wait moves it on at once (after letting I/O run), so
 * what the pacing spent is read exactly, whatever the machine's load.
 */
export function virtualPacerClock(): PacerClock & { readonly elapsed: number } {
  let now = 0;
  return {
    now: () => now,
    async sleep(ms: number) {
      await new Promise((resolve) => setImmediate(resolve));
      now += ms;
    },
    get elapsed() {
      return now;
    },
  };
}
