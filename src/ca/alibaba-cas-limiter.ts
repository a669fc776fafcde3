import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A per-process pacer for one API operation (GCRA, a token bucket without a timer): calls are
 * spaced `1000 / perSecond` ms apart, after an initial `burst`. With the default burst of 1 any
 * one-second window sees at most `perSecond` calls, which is how Alibaba Cloud counts its QPS.
 * Waiters are served in call order, since each one reserves its slot when it asks.
 */
export class CallPacer {
  private readonly intervalMs: number;
  /** When the next call would be due if no burst were allowed (the theoretical arrival time). */
  private nextAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly perSecond: number,
    private readonly burst = 1,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0) || !(burst >= 1)) throw new RangeError('perSecond > 0 and burst >= 1');
    this.intervalMs = 1000 / perSecond;
  }

  /** Reserves the next slot and returns how long to wait for it (ms). */
  reserve(): number {
    const now = this.now();
    const due = Math.max(this.nextAt, now);
    this.nextAt = due + this.intervalMs;
    return Math.max(0, due - now - (this.burst - 1) * this.intervalMs);
  }

  /** Waits for the next slot. */
  async take(): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await sleep(wait);
  }

  /** The server said "throttled": nobody gets a slot for `ms` from now. */
  pause(ms: number): void {
    this.nextAt = Math.max(this.nextAt, this.now() + ms);
  }
}
