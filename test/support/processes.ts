import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter, once } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { CONFIG_VARIABLES, type Role } from '../../src/config.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { LocalSlackApi } from '../../tools/try/local-slack-api.js';
import {
  APPROVAL_CHANNEL,
  APPROVERS,
  SIGNING_SECRET,
  SUPPORT_CHANNEL,
} from './certops-under-test.js';
import { deleteByPattern, type TestRedis, testRedis } from './redis.js';

/**
 * Real CertOps processes (`node --import tsx src/main.ts`, exactly what `npm start` runs) for
 * tests of roles, several processes on one Redis, kills and graceful shutdown. Every process of
 * a cluster shares one fake Slack Web API (in the test process), the test Redis and a key and
 * queue prefix of the test's own; `cleanup()` kills what is still running and deletes both
 * prefixes, so no process and no key outlives the test.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BOT_TOKEN = 'xoxb-process-test-token';

/** Readiness lines, as src/certops.ts logs them. */
const WORKER_READY = /^CertOps worker role started$/;
const WEB_READY = /^CertOps web role listening on port (\d+)/;

/**
 * Preloaded before tsx: the child SIGKILLs itself when its stdin (a pipe from the test process)
 * closes, i.e. when the test process dies without cleaning up. No orphan survives a crashed
 * or killed test run; CertOps itself never reads stdin.
 */
const ORPHAN_GUARD = `data:text/javascript,${encodeURIComponent(
  "process.stdin.on('data',()=>{});process.stdin.on('end',()=>process.kill(process.pid,'SIGKILL'));",
)}`;

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  /** The raw line (non-JSON lines, like `config:` errors, have level `raw`). */
  readonly raw: string;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Milliseconds from the signal sent by `kill`/`terminate` to the exit. */
  readonly afterMs?: number;
}

/** One running CertOps process. */
export class CertOpsProcess extends EventEmitter {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<ProcessExit>;
  /** The HTTP port, once a `web`/`all` process has logged it. */
  port: number | undefined;
  private exitInfo: ProcessExit | undefined;

  constructor(
    readonly role: Role,
    readonly child: ChildProcess,
  ) {
    super();
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        this.emit('exit', this.exitInfo);
        resolve(this.exitInfo);
      });
    });
    // Both streams: the logger writes stderr, a crash may write either.
    for (const stream of [child.stderr, child.stdout]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (raw) => this.push(raw));
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exitInfo === undefined;
  }

  /** Resolves with the first log line (past or future) whose message matches; rejects on exit or timeout. */
  waitForLog(pattern: RegExp, timeoutMs = 15_000): Promise<LogLine> {
    const found = this.lines.find((line) => pattern.test(line.msg));
    if (found) return Promise.resolve(found);
    if (!this.running) return Promise.reject(this.failure(`exited before logging ${pattern}`));
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.off('line', onLine);
        this.off('exit', onExit);
      };
      const onLine = (line: LogLine) => {
        if (!pattern.test(line.msg)) return;
        done();
        resolve(line);
      };
      const onExit = () => {
        done();
        reject(this.failure(`exited before logging ${pattern}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(this.failure(`did not log ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('line', onLine);
      this.on('exit', onExit);
    });
  }

  /** Waits until the role is up: workers started and/or the HTTP listener bound. */
  async ready(timeoutMs = 20_000): Promise<this> {
    if (this.role !== 'worker') {
      const line = await this.waitForLog(WEB_READY, timeoutMs);
      this.port = Number(WEB_READY.exec(line.msg)?.[1]);
    }
    if (this.role !== 'web') await this.waitForLog(WORKER_READY, timeoutMs);
    return this;
  }

  /** SIGKILL: no shutdown code runs, as when a machine or container dies. */
  kill(): Promise<ProcessExit> {
    return this.signal('SIGKILL', 10_000);
  }

  /** SIGTERM (or SIGINT); rejects (after a SIGKILL) if the process is not gone within `timeoutMs`. */
  terminate(signal: 'SIGTERM' | 'SIGINT' = 'SIGTERM', timeoutMs = 15_000): Promise<ProcessExit> {
    return this.signal(signal, timeoutMs);
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<ProcessExit> {
    if (this.exitInfo) return this.exitInfo;
    const sentAt = performance.now();
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const result = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
      throw this.failure(`did not exit within ${timeoutMs} ms of ${signal}`);
    }
    return { ...result, afterMs: Math.round(performance.now() - sentAt) };
  }

  private push(raw: string): void {
    let line: LogLine;
    try {
      const parsed = JSON.parse(raw) as { level?: unknown; msg?: unknown };
      line = { level: String(parsed.level ?? 'raw'), msg: String(parsed.msg ?? ''), raw };
    } catch {
      line = { level: 'raw', msg: raw, raw };
    }
    this.lines.push(line);
    this.emit('line', line);
  }

  private failure(what: string): Error {
    const tail = this.lines
      .slice(-15)
      .map((l) => `  ${l.raw}`)
      .join('\n');
    const exit = this.exitInfo
      ? ` (exit code ${this.exitInfo.code}, signal ${this.exitInfo.signal})`
      : '';
    return new Error(
      `CertOps ${this.role} process ${this.pid} ${what}${exit}; last lines:\n${tail}`,
    );
  }
}

export interface SpawnOptions {
  /** Variables on top of the cluster's (e.g. CERTOPS_JOB_LOCK_SECONDS, PORT). */
  readonly env?: Record<string, string>;
  /** Wait for the readiness log lines (default true). */
  readonly ready?: boolean;
}

/**
 * The shared ground of a group of CertOps processes: fake Slack, test Redis, prefixes. Queues,
 * QueueEvents and the store it hands out use the same prefixes and are closed by `cleanup()`.
 */
export class CertOpsCluster {
  readonly processes: CertOpsProcess[] = [];
  readonly store: RedisStore;
  readonly keyPrefix: string;
  readonly queuePrefix: string;
  private readonly closers: Array<() => Promise<unknown>> = [];

  private constructor(
    readonly slack: LocalSlackApi,
    readonly redis: TestRedis,
  ) {
    this.keyPrefix = redis.prefix;
    this.queuePrefix = `${redis.prefix}-q`;
    this.store = new RedisStore(redis.redis, redis.prefix);
  }

  static async start(): Promise<CertOpsCluster> {
    const slack = new LocalSlackApi();
    await slack.start();
    try {
      return new CertOpsCluster(slack, await testRedis());
    } catch (error) {
      await slack.stop();
      throw error;
    }
  }

  /**
   * The complete environment of a child: PATH and HOME, then every variable CertOps reads,
   * the optional ones set empty (blank means unset), so a developer's `.env` in the repository
   * root (which `loadConfig` would load for variables not already set) changes nothing.
   */
  env(role: Role, extra: Record<string, string> = {}): Record<string, string> {
    const env: Record<string, string> = Object.fromEntries(
      CONFIG_VARIABLES.map((name) => [name, '']),
    );
    return {
      ...env,
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: this.slack.url,
      PORT: '0',
      REDIS_URL: this.redis.url,
      CERTOPS_KEY_PREFIX: this.keyPrefix,
      CERTOPS_QUEUE_PREFIX: this.queuePrefix,
      CERTOPS_APPROVERS: APPROVERS.join(','),
      CERTOPS_APPROVAL_CHANNEL: APPROVAL_CHANNEL,
      CERTOPS_SUPPORT_CHANNEL: SUPPORT_CHANNEL,
      CERTOPS_TIMEZONE: 'Asia/Shanghai',
      CERTOPS_BUSINESS_REGION: 'CN',
      CERTOPS_ROLE: role,
      CERTOPS_EXPIRY_REMINDER_DAYS: '30,14,7,3,1',
      CERTOPS_EXPIRY_CHECK_TIME: '09:00',
      CERTOPS_JOB_LOCK_SECONDS: '30',
      LOG_LEVEL: 'info',
      ...extra,
    };
  }

  /** Starts `node --import tsx src/main.ts` in the repository root; by default waits until ready. */
  async spawn(role: Role, options: SpawnOptions = {}): Promise<CertOpsProcess> {
    const child = spawn(
      process.execPath,
      ['--import', ORPHAN_GUARD, '--import', 'tsx', 'src/main.ts'],
      {
        cwd: REPO_ROOT,
        env: this.env(role, options.env),
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    const proc = new CertOpsProcess(role, child);
    this.processes.push(proc);
    if (options.ready !== false) await proc.ready();
    return proc;
  }

  /** A BullMQ queue on the cluster's queue prefix, closed at cleanup. */
  queue<T = unknown>(name: string): Queue<T> {
    const queue = new Queue<T>(name, {
      connection: { url: this.redis.url },
      prefix: this.queuePrefix,
    });
    this.closers.push(() => queue.close());
    return queue;
  }

  /** QueueEvents on the cluster's queue prefix, ready (listening) when returned. */
  async queueEvents(name: string): Promise<QueueEvents> {
    const events = new QueueEvents(name, {
      connection: { url: this.redis.url },
      prefix: this.queuePrefix,
    });
    this.closers.push(() => events.close());
    await events.waitUntilReady();
    return events;
  }

  /** SIGKILLs every process still running, closes queues, stops Slack, deletes both prefixes. */
  async cleanup(): Promise<void> {
    await Promise.all(this.processes.filter((p) => p.running).map((p) => p.kill()));
    await Promise.all(this.closers.splice(0).map((close) => close().catch(() => undefined)));
    await this.slack.stop();
    await deleteByPattern(this.redis.redis, `${this.queuePrefix}:*`);
    await this.redis.cleanup();
  }
}

/** Polls `probe` every `intervalMs` until it returns a value other than undefined/false; bounded. */
export async function until<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  { timeoutMs = 15_000, intervalMs = 25 } = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A loopback port nobody listens on at the moment (for asserting a process does not listen). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}
