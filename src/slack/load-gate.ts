/**
 * Back-pressure for the web role. Counts the Slack requests being worked on, from the moment
 * Bolt takes one to the end of every listener (post-ack work included), and says when a new
 * command should be turned away: a saturated process that keeps taking work answers all of it
 * too late (Slack's 3 s, a trigger_id's 3 s), while one that says "busy" at once keeps answering
 * the requests it already took in time.
 */
export class LoadGate {
  private inFlight = 0;
  private readonly waiters = new Set<() => void>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError('limit must be a whole number >= 1');
  }

  get busy(): boolean {
    return this.inFlight >= this.limit;
  }

  get working(): number {
    return this.inFlight;
  }

  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) for (const wake of [...this.waiters]) wake();
    }
  }

  /** Resolves once no request is being worked on. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
  }
}
