import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import {
  connectOrStartRedis,
  EmbeddedRedisBusyError,
  embeddedRedisDir,
  LOCK_FILE,
  type RedisEndpoint,
} from '../../src/infra/embedded-redis.js';
import {
  freePort,
  type RedisServerHandle,
  RedisServerNotInstalledError,
  startRedisServer,
} from '../../src/infra/redis-server-process.js';
import { REPO_ROOT, until } from '../support/processes.js';

/** Gone for good: no such process, or (Linux) one that exited and awaits reaping by init. */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return line.slice(line.lastIndexOf(')') + 2, line.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

/** A pid that belonged to a process which has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid ?? -1;
}

describe('connectOrStartRedis', () => {
  let root: string;
  let dataDir: string;
  let logs: string[];
  const logger = {
    info: (msg: string) => logs.push(`info ${msg}`),
    warn: (msg: string) => logs.push(`warn ${msg}`),
  };
  const endpoints: RedisEndpoint[] = [];
  const servers: RedisServerHandle[] = [];
  const clients: Redis[] = [];
  const children: ChildProcess[] = [];
  /** Servers started by processes we killed: if a test fails before they stop, we stop them. */
  const strayPids: number[] = [];

  /** A loopback URL where nothing listens. */
  const silentUrl = async () => `redis://127.0.0.1:${await freePort()}`;
  const start = async (url: string, extra: { binary?: string } = {}) => {
    const endpoint = await connectOrStartRedis({
      url,
      urlGiven: false,
      dataDir,
      logger,
      probeTimeoutMs: 300,
      ...extra,
    });
    endpoints.push(endpoint);
    return endpoint;
  };
  const client = async (url: string) => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    clients.push(redis);
    await redis.connect();
    return redis;
  };
  const serverPid = async (url: string) => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      return Number(/^process_id:(\d+)/m.exec(await redis.info('server'))?.[1]);
    } finally {
      redis.disconnect();
    }
  };

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'certops-embedded-'));
    dataDir = embeddedRedisDir(root);
    logs = [];
  });
  afterEach(async () => {
    for (const redis of clients.splice(0)) redis.disconnect();
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    }
    for (const pid of strayPids.splice(0)) if (!gone(pid)) process.kill(pid, 'SIGKILL');
    await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.stop()));
    await Promise.all(servers.splice(0).map((server) => server.stop()));
    await rm(root, { recursive: true, force: true });
  });

  it('returns a given REDIS_URL untouched, without probing or starting anything', async () => {
    const url = 'redis://:secret@redis.invalid:6379/2';
    const endpoint = await connectOrStartRedis({
      url,
      urlGiven: true,
      dataDir,
      logger,
      binary: '/nonexistent/redis-server',
    });
    expect(endpoint).toMatchObject({ url, embedded: false });
    await endpoint.stop();
    expect(existsSync(dataDir)).toBe(false);
    expect(logs).toEqual([]);
  });

  it('uses the Redis that answers on the default URL and starts nothing', async () => {
    const url = inject('redisUrl');
    const endpoint = await start(url, { binary: '/nonexistent/redis-server' });
    expect(endpoint).toMatchObject({ url, embedded: false });
    expect(existsSync(dataDir)).toBe(false);
    expect(logs).toEqual([`info REDIS_URL is not set: using the Redis that answers at ${url}`]);
  });

  it('starts a private redis-server with AOF in the data folder when nothing answers', async () => {
    const url = await silentUrl();
    const endpoint = await start(url);
    expect(endpoint.embedded).toBe(true);
    expect(endpoint.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoint.url).not.toBe(url);
    const pid = await serverPid(endpoint.url);
    expect(gone(pid)).toBe(false);

    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    const record = JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8'));
    expect(record).toEqual({
      ownerPid: process.pid,
      redisPid: pid,
      port: Number(new URL(endpoint.url).port),
    });
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(`started an embedded Redis at ${endpoint.url} (pid ${pid})`);
    expect(logs[0]).toContain(`data in ${dataDir} (AOF`);

    const redis = await client(endpoint.url);
    await redis.set('certops-embedded:survives', 'yes');
    expect(await readdir(join(dataDir, 'appendonlydir'))).toEqual(
      expect.arrayContaining([expect.stringMatching(/\.incr\.aof$/)]),
    );
    redis.disconnect();

    await endpoint.stop();
    await endpoint.stop(); // idempotent
    expect(gone(pid)).toBe(true);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);

    const again = await start(url);
    expect(await serverPid(again.url)).not.toBe(pid);
    expect(await (await client(again.url)).get('certops-embedded:survives')).toBe('yes');
  });

  it('starts its own when the Redis on the default URL refuses PING (password)', async () => {
    const guarded = await start(await silentUrl());
    const admin = await client(guarded.url);
    await admin.config('SET', 'requirepass', 'secret0password');
    const otherDir = join(root, 'other');
    const endpoint = await connectOrStartRedis({
      url: guarded.url,
      urlGiven: false,
      dataDir: otherDir,
      logger,
    });
    endpoints.push(endpoint);
    expect(endpoint.embedded).toBe(true);
    expect(endpoint.url).not.toBe(guarded.url);
    const refused = `warn the Redis at ${guarded.url} refuses PING ("NOAUTH `;
    const advice = '"): not using it; set REDIS_URL (with its password) to use it';
    expect(logs.find((line) => line.startsWith(refused) && line.endsWith(advice))).toBeDefined();
  });

  it('says in one line how to install redis-server or set REDIS_URL when it is missing', async () => {
    const failure = start(await silentUrl(), { binary: '/nonexistent/redis-server' });
    await expect(failure).rejects.toBeInstanceOf(RedisServerNotInstalledError);
    const message = await failure.catch((error: Error) => error.message);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^redis-server not found .*apt-get install -y redis-server.*REDIS_URL/);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('shares one server between callers in one process and stops it with the last', async () => {
    const url = await silentUrl();
    const [first, second] = await Promise.all([start(url), start(url)]);
    expect(second?.url).toBe(first?.url);
    const pid = await serverPid(first?.url ?? '');
    await first?.stop();
    await first?.stop(); // a second stop of the same handle must not release the other's share
    expect(gone(pid)).toBe(false);
    expect(await (await client(second?.url ?? '')).ping()).toBe('PONG');
    await second?.stop();
    expect(gone(pid)).toBe(true);
  });

  it('refuses a folder whose server another live CertOps process runs, saying what to do', async () => {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const other = await startRedisServer({ dir: dataDir, persistence: 'aof' });
    servers.push(other);
    // The parent of this test process stands for the other CertOps process: alive, not us.
    const record = { ownerPid: process.ppid, redisPid: other.pid, port: other.port };
    await writeFile(join(dataDir, LOCK_FILE), JSON.stringify(record));

    const failure = start(await silentUrl());
    await expect(failure).rejects.toBeInstanceOf(EmbeddedRedisBusyError);
    expect(await failure.catch((error: Error) => error.message)).toBe(
      `the embedded Redis in ${dataDir} belongs to CertOps process ${process.ppid} (${other.url}): stop that process, set REDIS_URL=${other.url} to share its Redis while it runs, or set CERTOPS_DATA_DIR to another folder`,
    );
    expect(gone(other.pid)).toBe(false);
    expect(JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8'))).toEqual(record);
  });

  it('cleans up the record of a killed run whose server is gone', async () => {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const stale = { ownerPid: await deadPid(), redisPid: await deadPid(), port: await freePort() };
    await writeFile(join(dataDir, LOCK_FILE), JSON.stringify(stale));
    const endpoint = await start(await silentUrl());
    const record = JSON.parse(await readFile(join(dataDir, LOCK_FILE), 'utf8'));
    expect(record).toEqual({
      ownerPid: process.pid,
      redisPid: await serverPid(endpoint.url),
      port: Number(new URL(endpoint.url).port),
    });
  });

  it('shuts down, keeping its data, a server a killed run left behind, then starts its own', async () => {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const orphan = await startRedisServer({ dir: dataDir, persistence: 'aof' });
    servers.push(orphan);
    await (await client(orphan.url)).set('certops-embedded:orphaned', 'kept');
    const record = { ownerPid: await deadPid(), redisPid: orphan.pid, port: orphan.port };
    await writeFile(join(dataDir, LOCK_FILE), JSON.stringify(record));

    const endpoint = await start(await silentUrl());
    expect(gone(orphan.pid)).toBe(true);
    expect(logs[0]).toBe(
      `warn stopping the embedded Redis (pid ${orphan.pid}) left running in ${dataDir} by a CertOps run that was killed`,
    );
    expect(await (await client(endpoint.url)).get('certops-embedded:orphaned')).toBe('kept');
  });

  it('stops the server when its CertOps process is killed with SIGKILL', async () => {
    const url = await silentUrl();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/infra/embedded-redis-child.ts', dataDir, url],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const [line] = (await Promise.race([
      once(lines, 'line'),
      once(child, 'exit').then(() => {
        throw new Error('the child exited before starting Redis');
      }),
    ])) as [string];
    const embeddedUrl = (JSON.parse(line) as { url: string }).url;
    const pid = await serverPid(embeddedUrl);
    strayPids.push(pid);

    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    await until(() => gone(pid), `redis-server ${pid} to stop after its parent died`, {
      timeoutMs: 10_000,
    });

    // The record it left is stale; the next start cleans it up and reuses the data folder.
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(true);
    const endpoint = await start(url);
    expect(endpoint.embedded).toBe(true);
    expect(logs.filter((entry) => entry.startsWith('warn'))).toEqual([]);
  });
});
