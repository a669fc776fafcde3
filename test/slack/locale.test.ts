import { webApi } from '@slack/bolt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createLocaleResolver,
  type KeyValueCache,
  type UsersInfoClient,
} from '../../src/slack/locale.js';

class MemoryCache implements KeyValueCache {
  readonly entries = new Map<string, { value: string; ttlMs: number }>();
  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key)?.value;
  }
  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, { value, ttlMs });
  }
}

function fakeClient(answer: (user: string) => Promise<{ user?: { locale?: string } }>) {
  const info = vi.fn((args: { user: string; include_locale: true }) => answer(args.user));
  const client: UsersInfoClient = { users: { info } };
  return { client, info };
}

const DAY_MS = 24 * 60 * 60 * 1000;

afterEach(() => {
  vi.useRealTimers();
});

describe('createLocaleResolver', () => {
  it('answers from the cache without calling Slack', async () => {
    const cache = new MemoryCache();
    await cache.set('locale:U1', 'zh-CN', DAY_MS);
    const { client, info } = fakeClient(async () => ({ user: { locale: 'en-US' } }));
    expect(await createLocaleResolver({ client, cache })('U1')).toBe('zh-CN');
    expect(info).not.toHaveBeenCalled();
  });

  it('asks users.info with include_locale, maps zh-CN and caches it for 24 h', async () => {
    const cache = new MemoryCache();
    const { client, info } = fakeClient(async () => ({ user: { locale: 'zh-CN' } }));
    const resolve = createLocaleResolver({ client, cache });
    expect(await resolve('U2')).toBe('zh-CN');
    expect(info).toHaveBeenCalledWith({ user: 'U2', include_locale: true });
    expect(cache.entries.get('locale:U2')).toEqual({ value: 'zh-CN', ttlMs: DAY_MS });
    expect(await resolve('U2')).toBe('zh-CN');
    expect(info).toHaveBeenCalledTimes(1);
  });

  it('maps other locales, or none, to en', async () => {
    const cache = new MemoryCache();
    const locales: Record<string, string | undefined> = { U1: 'zh-TW', U2: 'en-GB', U3: undefined };
    const { client } = fakeClient(async (user) => ({ user: { locale: locales[user] } }));
    const resolve = createLocaleResolver({ client, cache, ttlMs: 1000 });
    expect(await Promise.all(['U1', 'U2', 'U3'].map(resolve))).toEqual(['en', 'en', 'en']);
    expect(cache.entries.get('locale:U1')).toEqual({ value: 'en', ttlMs: 1000 });
  });

  it('falls back to en on an error, caches nothing, and tries again next time', async () => {
    const cache = new MemoryCache();
    const warn = vi.fn();
    const { client, info } = fakeClient(async () => {
      throw new Error('user_not_found');
    });
    const resolve = createLocaleResolver({ client, cache, logger: { warn } });
    expect(await resolve('U3')).toBe('en');
    expect(cache.entries.size).toBe(0);
    expect(warn).toHaveBeenCalledOnce();
    expect(await resolve('U3')).toBe('en');
    expect(info).toHaveBeenCalledTimes(2);
  });

  it('falls back to en when the client throws synchronously', async () => {
    const client: UsersInfoClient = {
      users: {
        info: () => {
          throw new TypeError('not a function');
        },
      },
    };
    expect(await createLocaleResolver({ client, cache: new MemoryCache() })('U4')).toBe('en');
  });

  it('treats a failing cache as a miss, both reading and writing', async () => {
    const cache: KeyValueCache = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
    };
    const { client } = fakeClient(async () => ({ user: { locale: 'zh-CN' } }));
    expect(await createLocaleResolver({ client, cache })('U5')).toBe('zh-CN');
  });

  it('answers en after 800 ms when users.info never returns', async () => {
    vi.useFakeTimers();
    const { client } = fakeClient(() => new Promise(() => {}));
    const answer = vi.fn();
    void createLocaleResolver({ client, cache: new MemoryCache() })('U6').then(answer);
    await vi.advanceTimersByTimeAsync(799);
    expect(answer).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(answer).toHaveBeenCalledWith('en');
  });

  it('answers en within a short timeout when the cache hangs (real timers)', async () => {
    const cache: KeyValueCache = { get: () => new Promise(() => {}), set: async () => {} };
    const { client } = fakeClient(async () => ({ user: { locale: 'zh-CN' } }));
    // A cache that never answers: without the timeout this would hang until the test times out.
    expect(await createLocaleResolver({ client, cache, timeoutMs: 20 })('U7')).toBe('en');
  });

  it('still caches an answer that arrives after the deadline', async () => {
    vi.useFakeTimers();
    const cache = new MemoryCache();
    let reply: (value: { user?: { locale?: string } }) => void = () => {};
    const { client } = fakeClient(() => new Promise((resolve) => (reply = resolve)));
    const resolve = createLocaleResolver({ client, cache, timeoutMs: 100 });
    const first = resolve('U8');
    await vi.advanceTimersByTimeAsync(100);
    expect(await first).toBe('en');
    reply({ user: { locale: 'zh-CN' } });
    await vi.advanceTimersByTimeAsync(0);
    expect(await resolve('U8')).toBe('zh-CN');
  });

  it("accepts Bolt's WebClient as the client", () => {
    // Compile-time: tsc fails here if UsersInfoClient drifts from the real client.
    const client: UsersInfoClient = new webApi.WebClient('xoxb-test');
    expect(typeof client.users.info).toBe('function');
  });
});

describe('createLocaleResolver: this process’s memory', () => {
  /** A cache that counts its reads. */
  class CountingCache extends MemoryCache {
    reads = 0;
    override async get(key: string): Promise<string | undefined> {
      this.reads++;
      return super.get(key);
    }
  }

  it('answers a known person from memory: no cache read, no Slack call', async () => {
    const cache = new CountingCache();
    const { client, info } = fakeClient(async () => ({ user: { locale: 'zh-CN' } }));
    const resolve = createLocaleResolver({ client, cache });
    expect(await resolve('U1')).toBe('zh-CN');
    expect([cache.reads, info.mock.calls.length]).toEqual([1, 1]);
    for (let i = 0; i < 5; i++) expect(await resolve('U1')).toBe('zh-CN');
    expect([cache.reads, info.mock.calls.length]).toEqual([1, 1]);
  });

  it('shares one lookup among callers asking for the same person at once', async () => {
    const cache = new CountingCache();
    let answer: (value: { user: { locale: string } }) => void = () => undefined;
    let asked: () => void = () => undefined;
    const slackAsked = new Promise<void>((resolve) => (asked = resolve));
    const { client, info } = fakeClient(() => {
      asked();
      return new Promise((resolve) => (answer = resolve as typeof answer));
    });
    const resolve = createLocaleResolver({ client, cache });
    const all = Promise.all(Array.from({ length: 50 }, () => resolve('U2')));
    await slackAsked;
    answer({ user: { locale: 'zh-CN' } });
    expect(new Set(await all)).toEqual(new Set(['zh-CN']));
    expect(info).toHaveBeenCalledTimes(1);
    expect(cache.reads).toBe(1);
  });

  it('past its age, answers from memory at once and asks Slack again for next time', async () => {
    let now = 0;
    let locale = 'zh-CN';
    let refreshed: () => void = () => undefined;
    const written = new Promise<void>((resolve) => (refreshed = resolve));
    const cache = new (class extends MemoryCache {
      override async set(key: string, value: string, ttlMs: number): Promise<void> {
        await super.set(key, value, ttlMs);
        if (value === 'en') refreshed();
      }
    })();
    const { client, info } = fakeClient(async () => ({ user: { locale } }));
    const resolve = createLocaleResolver({ client, cache, refreshAfterMs: 1000, now: () => now });
    expect(await resolve('U3')).toBe('zh-CN');
    locale = 'en-US'; // the person changed their Slack language
    now = 999;
    expect(await resolve('U3')).toBe('zh-CN');
    expect(info).toHaveBeenCalledTimes(1);
    now = 1000;
    expect(await resolve('U3')).toBe('zh-CN'); // at once, from memory
    await written; // the background refresh stored the new language
    expect(info).toHaveBeenCalledTimes(2);
    expect(await resolve('U3')).toBe('en');
  });

  it('remembers at most maxRemembered people, forgetting the oldest', async () => {
    const cache = new CountingCache();
    const { client } = fakeClient(async () => ({ user: { locale: 'zh-CN' } }));
    const resolve = createLocaleResolver({ client, cache, maxRemembered: 2 });
    for (const user of ['A', 'B', 'C']) await resolve(user);
    expect(cache.reads).toBe(3);
    await resolve('C');
    await resolve('B');
    expect(cache.reads).toBe(3);
    await resolve('A'); // forgotten: read from the shared cache again
    expect(cache.reads).toBe(4);
  });
});
