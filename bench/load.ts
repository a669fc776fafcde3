import { Worker } from 'node:worker_threads';

export interface LoadRun {
  readonly url: string;
  readonly secret: string;
  readonly rate: number;
  readonly bodies: readonly string[];
}

export interface LoadResult {
  /** Per request, ms from its due time to its full response; NaN where it failed. */
  readonly latencies: number[];
  readonly errors: number;
  /** Per request, its due time as wall-clock epoch ms (for matching what the bot did later). */
  readonly dueAt: number[];
  /** Requests sent: all of them, unless the run was stopped early (`stop`). */
  readonly sent: number;
}

/**
 * Open-loop signed Slack requests (slash commands, interactions) from a worker thread
 * (load-worker.mjs), one run at a time.
 */
export class LoadClient {
  private readonly worker = new Worker(new URL('./load-worker.mjs', import.meta.url));
  private nextId = 0;

  run(load: LoadRun): Promise<LoadResult> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      const onMessage = (message: { id: number; error?: string } & LoadResult) => {
        if (message.id !== id) return;
        this.worker.off('message', onMessage);
        if (message.error) reject(new Error(message.error));
        else
          resolve({
            latencies: message.latencies,
            errors: message.errors,
            dueAt: message.dueAt,
            sent: message.sent,
          });
      };
      this.worker.on('message', onMessage);
      this.worker.postMessage({ id, ...load });
    });
  }

  /**
   * Ends the run in progress early: nothing more is sent, and it resolves with what was sent
   * (answers still due are waited for a while, then left unanswered: NaN).
   */
  stop(): void {
    this.worker.postMessage({ stop: this.nextId });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
