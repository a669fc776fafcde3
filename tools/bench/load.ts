import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

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
 * Open-loop signed Slack requests (slash commands, interactions) from a process of its own
 * (load-worker.mjs, forked), one run at a time: the RSS the bench reads is the bot's alone.
 */
export class LoadClient {
  private readonly worker: ChildProcess = fork(
    fileURLToPath(new URL('./load-worker.mjs', import.meta.url)),
    [],
    { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
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
      this.worker.send({ id, ...load });
    });
  }

  /**
   * Ends the run in progress early: nothing more is sent, and it resolves with what was sent
   * (answers still due are waited for a while, then left unanswered: NaN).
   */
  stop(): void {
    this.worker.send({ stop: this.nextId });
  }

  async close(): Promise<void> {
    if (this.worker.exitCode !== null || this.worker.signalCode !== null) return;
    const exited = once(this.worker, 'exit');
    this.worker.kill();
    await exited;
  }
}
