import { type Locale, localeOf } from './i18n/index.js';

/** A string cache with expiry (Redis in production, a Map in tests). */
export interface KeyValueCache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/** The one Web API method needed; Bolt's `client` satisfies it. */
export interface UsersInfoClient {
  users: {
    info(args: { user: string; include_locale: true }): Promise<{ user?: { locale?: string } }>;
  };
}

export interface LocaleResolverOptions {
  readonly client: UsersInfoClient;
  readonly cache: KeyValueCache;
  /** How long a user's locale is kept; default 24 h. */
  readonly ttlMs?: number;
  /** Longest a caller waits before getting 'en'; default 800 ms. */
  readonly timeoutMs?: number;
  /** Told about failures, which are otherwise swallowed. */
  readonly logger?: { warn(...msg: unknown[]): void };
}

export type LocaleResolver = (userId: string) => Promise<Locale>;

const DAY_MS = 24 * 60 * 60 * 1000;
const FALLBACK: Locale = 'en';

/**
 * Resolves a user's locale: cache first, then `users.info` with `include_locale`. It never
 * rejects and answers within `timeoutMs`: a listener must not fail, or miss Slack's 3 s, over
 * a language. On error or timeout the answer is 'en' and nothing is cached, so the next call
 * tries again; a lookup that finishes after the deadline is still cached for next time.
 */
export function createLocaleResolver(options: LocaleResolverOptions): LocaleResolver {
  const { client, cache, ttlMs = DAY_MS, timeoutMs = 800, logger } = options;

  async function lookup(userId: string): Promise<Locale> {
    const key = `locale:${userId}`;
    // A cache failure is a miss, not a reason to give up on the lookup.
    const cached = await attempt(() => cache.get(key)).catch((error: unknown) => {
      logger?.warn('locale cache read failed', error);
      return undefined;
    });
    if (cached) return localeOf(cached);
    const response = await client.users.info({ user: userId, include_locale: true });
    const locale = localeOf(response.user?.locale);
    // Not awaited: the caller has its answer; a failed write only costs a lookup next time.
    attempt(() => cache.set(key, locale, ttlMs)).catch((error: unknown) => {
      logger?.warn('locale cache write failed', error);
    });
    return locale;
  }

  return (userId) =>
    new Promise<Locale>((resolve) => {
      const timer = setTimeout(() => {
        logger?.warn(`locale lookup for ${userId} took over ${timeoutMs} ms; using ${FALLBACK}`);
        resolve(FALLBACK);
      }, timeoutMs);
      const done = (locale: Locale) => {
        clearTimeout(timer);
        resolve(locale);
      };
      attempt(() => lookup(userId)).then(done, (error: unknown) => {
        logger?.warn(`locale lookup for ${userId} failed; using ${FALLBACK}`, error);
        done(FALLBACK);
      });
    });
}

/** Runs `fn` so that a synchronous throw becomes a rejection too. */
function attempt<T>(fn: () => Promise<T>): Promise<T> {
  return Promise.resolve().then(fn);
}
