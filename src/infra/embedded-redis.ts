import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, link, mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { redactRedisUrl } from '../config.js';
import { type RedisServerHandle, startRedisServer } from './redis-server-process.js';

/**
 * Redis for `npm start` and `npm run try` when REDIS_URL is not set: the default address if a
 * Redis answers there, otherwise a private `redis-server` child with AOF in a data folder.
 *
 * One server per data folder, recorded in `embedded-redis.json` there (created atomically):
 * - within one process, further callers share the running server (it stops with the last);
 * - another live CertOps process owning the folder is refused with what to do instead;
 * - a record left by a killed run is cleaned up, and a server it left running (only possible
 *   where the parent guard cannot work, or if it was killed too) is shut down cleanly first.
 *
 * The server listens on a free loopback port chosen at each start, not a fixed one: it never
 * collides with a system Redis on 6379 or with a second data folder (`npm start` next to
 * `npm run try`); the URL is logged and kept in the record for redis-cli.
 */

export interface RedisEndpoint {
  readonly url: string;
  readonly embedded: boolean;
  /** Stops the child if we started one; idempotent. */
  stop(): Promise<void>;
}

export interface ConnectOrStartRedisOptions {
  /** config.redis.url */
  readonly url: string;
  /** config.redis.urlGiven */
  readonly urlGiven: boolean;
  /** Folder for the embedded server's files (AOF); created 0700. */
  readonly dataDir: string;
  readonly logger: { info(msg: string): void; warn(msg: string): void };
  /** For tests: a missing binary. */
  readonly binary?: string;
  readonly probeTimeoutMs?: number;
}

/** Another live CertOps process runs the embedded Redis of this data folder. */
export class EmbeddedRedisBusyError extends Error {
  constructor(dir: string, ownerPid: number, url: string | undefined) {
    const share =
      url === undefined ? '' : `, set REDIS_URL=${url} to share its Redis while it runs`;
    super(
      `the embedded Redis in ${dir} belongs to CertOps process ${ownerPid}${url ? ` (${url})` : ''}: stop that process${share}, or set CERTOPS_DATA_DIR to another folder`,
    );
    this.name = 'EmbeddedRedisBusyError';
  }
}

/** Where the embedded Redis keeps its files, under CertOps's data folder (CERTOPS_DATA_DIR). */
export function embeddedRedisDir(dataDir: string): string {
  return resolve(dataDir, 'redis');
}

export const LOCK_FILE = 'embedded-redis.json';

interface LockRecord {
  /** The CertOps process that owns the server. */
  readonly ownerPid: number;
  /** Absent while the owner is still starting the server. */
  readonly redisPid?: number;
  readonly port?: number;
}

interface SharedServer {
  readonly url: string;
  release(): Promise<void>;
}

/** A server this process runs and how many endpoints use it (counted before it is ready). */
interface Share {
  readonly server: Promise<SharedServer>;
  users: number;
}

/** Servers this process runs, by real path of their folder. */
const running = new Map<string, Share>();
/** Servers this process is stopping: a new start on the folder waits for them to be gone. */
const stopping = new Map<string, Promise<void>>();

export async function connectOrStartRedis(
  options: ConnectOrStartRedisOptions,
): Promise<RedisEndpoint> {
  if (options.urlGiven) return external(options.url);
  const probe = await ping(options.url, options.probeTimeoutMs ?? 300);
  const shown = redactRedisUrl(options.url);
  if (probe === 'PONG') {
    options.logger.info(`REDIS_URL is not set: using the Redis that answers at ${shown}`);
    return external(options.url);
  }
  if (probe !== 'silent') {
    const said = probe.length > 60 ? `${probe.slice(0, 57)}...` : probe;
    options.logger.warn(
      `the Redis at ${shown} refuses PING ("${said}"): not using it; set REDIS_URL (with its password) to use it`,
    );
  }

  const dir = await prepareDir(options.dataDir);
  await stopping.get(dir);
  let share = running.get(dir);
  if (share === undefined) {
    const created: Share = { server: startShared(dir, options), users: 0 };
    created.server.catch(() => {
      if (running.get(dir) === created) running.delete(dir);
    });
    running.set(dir, created);
    share = created;
  }
  // Counted now, so an earlier user stopping while this one waits leaves the server running.
  share.users += 1;
  let shared: SharedServer;
  try {
    shared = await share.server;
  } catch (error) {
    share.users -= 1;
    throw error;
  }
  const joined = share;
  let stopped: Promise<void> | undefined;
  return {
    url: shared.url,
    embedded: true,
    stop() {
      stopped ??= (async () => {
        joined.users -= 1;
        if (joined.users > 0) return;
        if (running.get(dir) === joined) running.delete(dir);
        const released = shared.release().finally(() => stopping.delete(dir));
        stopping.set(dir, released);
        await released;
      })();
      return stopped;
    },
  };
}

function external(url: string): RedisEndpoint {
  return { url, embedded: false, stop: async () => undefined };
}

/** `PONG`, another reply (e.g. NOAUTH), or `silent` when nothing answered in time. */
async function ping(url: string, timeoutMs: number): Promise<string> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // A Redis that refuses us (NOAUTH to the connection handshake) says so in an error reply.
  let reply: string | undefined;
  client.on('error', (error: Error) => {
    if (error.name === 'ReplyError') reply ??= error.message.split('\n')[0];
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(reply ?? 'silent'), timeoutMs);
  });
  const answer = (async () => {
    try {
      await client.connect();
      return await client.ping();
    } catch (error) {
      if ((error as Error).name === 'ReplyError') return (error as Error).message.split('\n')[0];
      return reply ?? 'silent';
    }
  })();
  try {
    return (await Promise.race([answer, timeout])) ?? 'silent';
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/** Creates the folder (0700, tightened if looser) and returns its real path. */
async function prepareDir(dataDir: string): Promise<string> {
  const dir = resolve(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (((await stat(dir)).mode & 0o077) !== 0) await chmod(dir, 0o700);
  return realpath(dir);
}

async function startShared(
  dir: string,
  options: ConnectOrStartRedisOptions,
): Promise<SharedServer> {
  const lockPath = join(dir, LOCK_FILE);
  await claimLock(dir, lockPath, options.logger);
  let server: RedisServerHandle;
  try {
    server = await startOnFreePort(dir, options.binary);
  } catch (error) {
    await rm(lockPath, { force: true });
    throw error;
  }
  const record: LockRecord = { ownerPid: process.pid, redisPid: server.pid, port: server.port };
  await writeFile(lockPath, JSON.stringify(record), { mode: 0o600 });
  options.logger.info(
    `REDIS_URL is not set and no usable Redis answers at ${redactRedisUrl(options.url)}: started an embedded Redis at ${server.url} (pid ${server.pid}), data in ${dir} (AOF, fsync every second); it stops with CertOps`,
  );
  return {
    url: server.url,
    async release() {
      await server.stop();
      // Only our own record: a stale-record cleanup elsewhere may have replaced it.
      const current = await readLock(lockPath);
      if (current?.ownerPid === process.pid && current.redisPid === server.pid) {
        await rm(lockPath, { force: true });
      }
    },
  };
}

async function startOnFreePort(
  dir: string,
  binary: string | undefined,
): Promise<RedisServerHandle> {
  // The free port is only free when we looked: another program may take it before Redis binds.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRedisServer({
        dir,
        persistence: 'aof',
        stopWithParent: true,
        ...(binary === undefined ? {} : { binary }),
      });
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/i.test((error as Error).message)) throw error;
    }
  }
}

/** Takes the folder's record for this process, cleaning up after killed runs; throws if busy. */
async function claimLock(
  dir: string,
  lockPath: string,
  logger: ConnectOrStartRedisOptions['logger'],
) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (await createExclusively(lockPath, { ownerPid: process.pid })) return;
    const record = await readLock(lockPath);
    if (record !== undefined) {
      const ownerAlive = record.ownerPid !== process.pid && isAlive(record.ownerPid);
      const server = await recordedServer(record, dir);
      if (ownerAlive && (server !== undefined || record.redisPid === undefined)) {
        throw new EmbeddedRedisBusyError(dir, record.ownerPid, server);
      }
      if (server !== undefined && record.redisPid !== undefined) {
        logger.warn(
          `stopping the embedded Redis (pid ${record.redisPid}) left running in ${dir} by a CertOps run that was killed`,
        );
        await shutDown(server, record.redisPid);
      }
    }
    // Stale (or unreadable): the run that wrote it is gone.
    await rm(lockPath, { force: true });
  }
  throw new Error(`could not take ${lockPath}: other processes keep replacing it`);
}

/** Writes the record under a temporary name and links it into place: all or nothing, once. */
async function createExclusively(lockPath: string, record: LockRecord): Promise<boolean> {
  const temporary = `${lockPath}.${process.pid}.${randomUUID().slice(0, 8)}`;
  await writeFile(temporary, JSON.stringify(record), { mode: 0o600 });
  try {
    await link(temporary, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(temporary, { force: true });
  }
}

const pid = z.number().int().positive();
const lockRecord = z.object({
  ownerPid: pid,
  redisPid: pid.optional(),
  port: z.number().int().min(1).max(65535).optional(),
});

/** The folder's record; anything unreadable or malformed counts as no record (stale). */
async function readLock(lockPath: string): Promise<LockRecord | undefined> {
  try {
    const parsed = lockRecord.safeParse(JSON.parse(await readFile(lockPath, 'utf8')));
    return parsed.success ? (parsed.data as LockRecord) : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The URL of the server the record names if it still runs and is that very server (its pid and
 * its folder), so a recycled pid or another Redis now on the port is never taken for it.
 */
async function recordedServer(record: LockRecord, dir: string): Promise<string | undefined> {
  if (record.redisPid === undefined || record.port === undefined) return undefined;
  if (!isAlive(record.redisPid)) return undefined;
  const url = `redis://127.0.0.1:${record.port}`;
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = await client.info('server');
    const pid = Number(/^process_id:(\d+)/m.exec(info)?.[1]);
    const [, serverDir] = (await client.config('GET', 'dir')) as [string, string];
    return pid === record.redisPid && serverDir === dir ? url : undefined;
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/** SHUTDOWN writes the AOF out before exiting; it is not our child, so watch its pid go. */
async function shutDown(url: string, pid: number): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.call('SHUTDOWN');
  } catch {
    // The connection closing is SHUTDOWN's answer.
  } finally {
    client.disconnect();
  }
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && !isZombie(pid)) {
    if (Date.now() > deadline) throw new Error(`Redis pid ${pid} did not shut down; stop it first`);
    await sleep(20);
  }
}

/** An exited process its parent has not reaped yet (Linux); elsewhere, unknown: false. */
function isZombie(pid: number): boolean {
  try {
    // The state follows the command name, which ends with the last ')'.
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return line.slice(line.lastIndexOf(')') + 2, line.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
