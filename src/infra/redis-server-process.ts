import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs a private `redis-server` child: the test suite's own Redis (no persistence, temp dir)
 * and, later, the embedded Redis for trying CertOps without one (AOF on, a data folder).
 */
export interface RedisServerOptions {
  /** Folder for the server's files; a fresh temp dir (removed on stop) when omitted. */
  readonly dir?: string;
  /** Append-only file on (everysec) or no persistence at all. */
  readonly persistence: 'aof' | 'none';
  /** Server tick rate; 100 makes delayed jobs fire within ~10 ms instead of ~100 ms. */
  readonly hz?: number;
  readonly binary?: string;
  readonly startTimeoutMs?: number;
  /** Port to listen on (e.g. to start a stopped server again); a free one when omitted. */
  readonly port?: number;
  /**
   * Tie the server's life to this process's, even when this process dies by SIGKILL, and keep
   * it out of the terminal's process group so Ctrl-C reaches only us (we stop it after the bot).
   * Off by default: the test suite's and benchmark's servers stay plain children.
   */
  readonly stopWithParent?: boolean;
}

export interface RedisServerHandle {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export class RedisServerNotInstalledError extends Error {
  constructor(binary: string) {
    super(
      `redis-server not found (${binary}): install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis`,
    );
    this.name = 'RedisServerNotInstalledError';
  }
}

/**
 * `sh -c` script run as `sh -c GUARD redis-guard <binary> <args...>`: a background watcher holds
 * our stdin pipe (fd 3) and sends SIGTERM to the server once the pipe closes, which the kernel
 * does when this process exits however it exits; the shell then `exec`s the server, so the
 * child's pid is the server's own and `$$` names it.
 */
const PARENT_GUARD =
  'exec 3<&0; (cat <&3 >/dev/null 2>&1; kill -TERM $$ 2>/dev/null) </dev/null >/dev/null 2>&1 & exec "$@" 3<&- </dev/null';

/** The shell's status for a command it could not find. */
const COMMAND_NOT_FOUND = 127;

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no TCP port assigned');
  return address.port;
}

export async function startRedisServer(options: RedisServerOptions): Promise<RedisServerHandle> {
  const binary = options.binary ?? 'redis-server';
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'certops-redis-')));
  const port = options.port ?? (await freePort());
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--maxmemory-policy', 'noeviction',
    '--hz', String(options.hz ?? 10),
    ...(options.persistence === 'aof'
      ? ['--appendonly', 'yes', '--appendfsync', 'everysec']
      : ['--appendonly', 'no']),
  ]; // biome-ignore format: one flag and its value per pair reads best

  const guarded = options.stopWithParent === true && process.platform !== 'win32';
  const child = guarded
    ? spawn('/bin/sh', ['-c', PARENT_GUARD, 'redis-guard', binary, ...args], {
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      })
    : spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  // Closing our end of the pipe lets the guard's watcher finish (and is harmless without one).
  const releaseGuard = () => child.stdin?.end();
  try {
    await waitUntilReady(child, binary, options.startTimeoutMs ?? 10_000);
  } catch (error) {
    child.kill('SIGKILL');
    releaseGuard();
    if (ownDir) await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const pid = child.pid ?? -1;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      releaseGuard();
      if (ownDir) await rm(dir, { recursive: true, force: true });
    },
  };
}

function waitUntilReady(child: ChildProcess, binary: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () =>
        finish(new Error(`redis-server not ready after ${timeoutMs} ms: ${output.slice(-500)}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) finish();
    };
    const onError = (error: NodeJS.ErrnoException) =>
      finish(error.code === 'ENOENT' ? new RedisServerNotInstalledError(binary) : error);
    const onExit = (code: number | null) =>
      finish(
        code === COMMAND_NOT_FOUND && /not found/i.test(output)
          ? new RedisServerNotInstalledError(binary)
          : new Error(`redis-server exited (${code}) before it was ready: ${output.slice(-500)}`),
      );
    function finish(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('error', onError);
      child.off('exit', onExit);
      // Keep draining so a chatty server never blocks on a full pipe.
      child.stdout?.resume();
      child.stderr?.resume();
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', onError);
    child.once('exit', onExit);
  });
}
