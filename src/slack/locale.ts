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
  /**
   * How long this process answers from its own memory before asking again in the background;
   * default 1 h. A person's language is read on almost every request: from memory it costs no
   * round trip, so a busy process still answers in the right language.
   */
  readonly refreshAfterMs?: number;
  /** People remembered in this process (the oldest is forgotten first); default 10,000. */
  readonly maxRemembered?: number;
  /** The clock for the memory's ages (tests). */
  readonly now?: () => number;
}

export type LocaleResolver = (userId: string) => Promise<Locale>;

const DAY_MS = 24 * 60 * 60 * 1000;
const FALLBACK: Locale = 'en';

/**
 * Resolves a user's locale: this process's memory first, then the shared cache, then
 * `users.info` with `include_locale`. It never rejects and answers within `timeoutMs`: a
 * listener must not fail, or miss Slack's 3 s, over a language. On error or timeout the answer
 * is 'en' and nothing is cached, so the next call tries again; a lookup that finishes after the
 * deadline is still cached for next time. Concurrent lookups of one person share one call.
 */
export function createLocaleResolver(options: LocaleResolverOptions): LocaleResolver {
  const { client, cache, ttlMs = DAY_MS, timeoutMs = 800, logger } = options;
  const refreshAfterMs = options.refreshAfterMs ?? 60 * 60 * 1000;
  const maxRemembered = options.maxRemembered ?? 10_000;
  const now = options.now ?? Date.now;
  /** What this process knows, by user: the locale and when it was read. Insertion order = age. */
  const remembered = new Map<string, { locale: Locale; at: number }>();
  /** Lookups under way: callers for the same person share one (single flight). */
  const inFlight = new Map<string, Promise<Locale>>();

  function remember(userId: string, locale: Locale): void {
    remembered.delete(userId);
    remembered.set(userId, { locale, at: now() });
    if (remembered.size > maxRemembered) {
      const oldest = remembered.keys().next().value;
      if (oldest !== undefined) remembered.delete(oldest);
    }
  }

  function shared(userId: string, forceFresh: boolean): Promise<Locale> {
    let pending = inFlight.get(userId);
    if (!pending) {
      pending = attempt(() => lookup(userId, forceFresh)).finally(() => inFlight.delete(userId));
      inFlight.set(userId, pending);
    }
    return pending;
  }

  async function lookup(userId: string, forceFresh: boolean): Promise<Locale> {
    const key = `locale:${userId}`;
    // A cache failure is a miss, not a reason to give up on the lookup.
    const cached = forceFresh
      ? undefined
      : await attempt(() => cache.get(key)).catch((error: unknown) => {
          logger?.warn('locale cache read failed', error);
          return undefined;
        });
    if (cached) {
      const locale = localeOf(cached);
      remember(userId, locale);
      return locale;
    }
    const response = await client.users.info({ user: userId, include_locale: true });
    const locale = localeOf(response.user?.locale);
    remember(userId, locale);
    // Not awaited: the caller has its answer; a failed write only costs a lookup next time.
    attempt(() => cache.set(key, locale, ttlMs)).catch((error: unknown) => {
      logger?.warn('locale cache write failed', error);
    });
    return locale;
  }

  return (userId) => {
    const known = remembered.get(userId);
    if (known) {
      // Known: answer at once; past its age, ask Slack again for next time (in the background).
      if (now() - known.at >= refreshAfterMs) {
        // Aged again at once: a refresh that fails (Slack away) is tried an age later, not at
        // every request meanwhile.
        remember(userId, known.locale);
        shared(userId, true).catch((error: unknown) =>
          logger?.warn(`locale refresh for ${userId} failed`, error),
        );
      }
      return Promise.resolve(known.locale);
    }
    return new Promise<Locale>((resolve) => {
      const timer = setTimeout(() => {
        logger?.warn(`locale lookup for ${userId} took over ${timeoutMs} ms; using ${FALLBACK}`);
        resolve(FALLBACK);
      }, timeoutMs);
      const done = (locale: Locale) => {
        clearTimeout(timer);
        resolve(locale);
      };
      shared(userId, false).then(done, (error: unknown) => {
        logger?.warn(`locale lookup for ${userId} failed; using ${FALLBACK}`, error);
        done(FALLBACK);
      });
    });
  };
}

/** Runs `fn` so that a synchronous throw becomes a rejection too. */
function attempt<T>(fn: () => Promise<T>): Promise<T> {
  return Promise.resolve().then(fn);
}
