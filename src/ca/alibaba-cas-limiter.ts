import { setTimeout as sleep } from 'node:timers/promises';

/** The time a pacer reads and waits on: real by default, virtual in tests. */
export interface PacerClock {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realPacerClock: PacerClock = {
  now: () => performance.now(),
  sleep: (ms) => sleep(ms),
};

/**
 * A per-process pacer for one API operation (GCRA, a token bucket without a timer): calls leave
 * at least `1000 / perSecond` ms apart, after an initial `burst`. With the default burst of 1 any
 * one-second window sees at most `perSecond` calls, which is how Alibaba Cloud counts its QPS.
 *
 * Callers leave one at a time, in call order, and each departure is computed from the time the
 * previous one actually left, not from when it was due: a late timer (a busy event loop) only
 * ever spaces calls further apart, never bunches them up.
 */
export class CallPacer {
  private readonly intervalMs: number;
  /** The theoretical arrival time: when the next call would be due if no burst were allowed. */
  private tat = Number.NEGATIVE_INFINITY;
  /** The departure queue: each take() waits for the one before it. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    private readonly burst = 1,
    private readonly clock: PacerClock = realPacerClock,
  ) {
    if (!(perSecond > 0) || !Number.isInteger(burst) || burst < 1)
      throw new RangeError('perSecond > 0 and a whole burst >= 1');
    this.intervalMs = 1000 / perSecond;
  }

  /** Waits for this caller's turn; resolves when the call may leave. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.depart());
    // One caller's failure (a clock that throws) must not fail every later caller.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** The server said "throttled": nobody leaves for `ms` from now. */
  pause(ms: number): void {
    const until = this.clock.now() + ms + (this.burst - 1) * this.intervalMs;
    this.tat = Math.max(this.tat, until);
  }

  private async depart(): Promise<void> {
    // A loop, not one sleep: a pause may arrive while waiting, and a timer may fire early.
    for (;;) {
      const now = this.clock.now();
      const allowedAt = this.tat - (this.burst - 1) * this.intervalMs;
      if (now >= allowedAt) {
        this.tat = Math.max(this.tat, now) + this.intervalMs;
        return;
      }
      await this.clock.sleep(allowedAt - now);
    }
  }
}
