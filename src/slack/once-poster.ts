import { randomUUID } from 'node:crypto';
import { webApi } from '@slack/bolt';
import { z } from 'zod';
import { recordWithRetry } from '../infra/record-with-retry.js';
import type { KeyValueStore, Logger } from '../usecases/ports/index.js';
import type { SlackClient } from './deps.js';
import { platformError } from './replies.js';

/**
 * Posting each message once, as far as Slack allows. A queue job can run again after its post
 * went through: the worker died before recording it, or the answer never came back (a dropped
 * connection, a timeout). So every post a job makes is keyed (the job's key and the post's
 * place in the run) and goes through these steps:
 *
 * 1. Already recorded as posted: nothing is sent; the recorded channel and ts are answered.
 * 2. Claim the key with a lease as long as the job lock (SET NX PX): one worker posts it at a
 *    time, and a dead worker's claim runs out when its job is handed over.
 * 3. An earlier try left its outcome unknown: look for the message in the conversation first
 *    (`conversations.history`, or `.replies` for a thread reply, with `include_all_metadata`;
 *    every post carries its key in `metadata.event_payload`). Found: record it, send nothing.
 * 4. Record the try (channel, time), post with the key in the metadata, record the post (retried
 *    for a while: the post cannot be taken back).
 *
 * A failure Slack answered for certain (a 429, a refusal, a 503, a refused connection) clears the
 * try, so its retry needs no lookup. Without the history scopes the lookup is refused and the
 * message is posted again (at least once, logged).
 */

/** `metadata.event_type` of every message a queue job posts. */
export const DELIVERY_EVENT_TYPE = 'certops_delivery';
/**
 * How long a claim holds unless renewed by a new post: BullMQ's default job lock. A worker that
 * dies frees its claims when BullMQ hands its jobs over; it must outlast the Slack client's
 * timeout (10 s) and a lookup.
 */
export const POST_LEASE_MS = 30_000;
/** A post record is kept as long as a delivered mark: a repeat within it sends nothing. */
export const POST_RECORD_TTL_MS = 7 * 24 * 3600 * 1000;
/** Looked back before the first try, for a Slack clock ahead of ours. */
const LOOKBACK_MARGIN_S = 300;
const HISTORY_PAGE = 200;
/** Pages looked through at most (a busy support channel): beyond, the message is posted. */
const HISTORY_PAGES = 5;

const postKey = (key: string) => `post:${key}`;
const leaseKey = (key: string) => `post-lease:${key}`;

const slackId = z.string().min(1).max(64);
const recordSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('trying'),
    channel: slackId,
    thread: slackId.optional(),
    since: z.number().int().nonnegative(),
  }),
  z.object({ state: z.literal('posted'), channel: slackId, ts: z.string().max(64) }),
]);
type PostRecord = z.infer<typeof recordSchema>;

/** Another worker holds the post's claim (a job taken over while its first run still posts). */
export class PostClaimedError extends Error {
  constructor(key: string) {
    super(`another worker is posting ${key}; retried later`);
    this.name = 'PostClaimedError';
  }
}

type PostArgs = Parameters<SlackClient['chat']['postMessage']>[0];
type PostReply = Awaited<ReturnType<SlackClient['chat']['postMessage']>>;

export interface OncePosterOptions {
  readonly kv: KeyValueStore;
  readonly logger: Logger;
  /** The claim's lease: the job lock of the worker that posts (POST_LEASE_MS by default). */
  readonly leaseMs?: number;
  readonly now?: () => number;
}

export class OncePoster {
  private readonly now: () => number;

  constructor(private readonly options: OncePosterOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The client one job run posts through: its n-th `chat.postMessage` is keyed `<jobKey>#n` (a
   * handler posts the same messages in the same order when it runs again). Other methods are
   * the client's own (an update of a message in place is idempotent already).
   */
  forJob(client: SlackClient, jobKey: string): SlackClient {
    let n = 0;
    const postMessage = (args: PostArgs) => this.post(client, `${jobKey}#${n++}`, args);
    const chat = Object.assign(Object.create(client.chat) as SlackClient['chat'], { postMessage });
    return Object.assign(Object.create(client) as SlackClient, { chat });
  }

  async post(client: SlackClient, key: string, args: PostArgs): Promise<PostReply> {
    const { kv } = this.options;
    const earlier = this.parse(key, await kv.get(postKey(key)));
    if (earlier?.state === 'posted') return { ok: true, channel: earlier.channel, ts: earlier.ts };
    const lease = randomUUID();
    if (!(await kv.setIfAbsent(leaseKey(key), lease, this.options.leaseMs ?? POST_LEASE_MS)))
      throw new PostClaimedError(key);
    try {
      if (earlier?.state === 'trying') {
        const found = await this.lookFor(client, key, earlier);
        if (found) {
          this.options.logger.info(`delivery: ${key} was posted by an earlier try; not again`);
          await this.record(key, { state: 'posted', ...found });
          return { ok: true, ...found };
        }
      }
      const channel = String(args.channel);
      const thread = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
      const trying: PostRecord = {
        state: 'trying',
        channel,
        ...(thread ? { thread } : {}),
        since: this.now(),
      };
      await kv.set(postKey(key), JSON.stringify(trying), POST_RECORD_TTL_MS);
      let reply: PostReply;
      try {
        reply = await client.chat.postMessage({
          ...args,
          metadata: { event_type: DELIVERY_EVENT_TYPE, event_payload: { key } },
        } as PostArgs);
      } catch (error) {
        if (!outcomeUnknown(error)) await kv.delete(postKey(key)).catch(() => undefined);
        throw error;
      }
      await this.record(key, {
        state: 'posted',
        channel: reply.channel ?? channel,
        ts: reply.ts ?? '',
      });
      return reply;
    } finally {
      await this.release(key, lease);
    }
  }

  /** Records that Slack took a message, tried again for a while (Redis restarting). */
  private record(key: string, record: PostRecord): Promise<void> {
    return recordWithRetry(
      this.options.kv,
      this.options.logger,
      postKey(key),
      JSON.stringify(record),
      POST_RECORD_TTL_MS,
    );
  }

  private async release(key: string, lease: string): Promise<void> {
    try {
      // Only our own claim: one that ran out and was taken by another worker stays.
      if ((await this.options.kv.get(leaseKey(key))) === lease)
        await this.options.kv.delete(leaseKey(key));
    } catch {
      // It runs out by itself.
    }
  }

  private parse(key: string, text: string | undefined): PostRecord | undefined {
    if (text === undefined) return undefined;
    try {
      return recordSchema.parse(JSON.parse(text));
    } catch {
      this.options.logger.warn(`delivery: unreadable post record of ${key}; treated as a try`);
      return undefined;
    }
  }

  /** The message of an earlier try whose outcome is unknown, if Slack has it. */
  private async lookFor(
    client: SlackClient,
    key: string,
    earlier: Extract<PostRecord, { state: 'trying' }>,
  ): Promise<{ channel: string; ts: string } | undefined> {
    try {
      let channel = earlier.channel;
      // A DM was posted to a user id; its history is the DM conversation's.
      if (/^[UW]/.test(channel))
        channel = (await client.conversations.open({ users: channel })).channel?.id ?? channel;
      const oldest = String(Math.floor(earlier.since / 1000) - LOOKBACK_MARGIN_S);
      let cursor: string | undefined;
      for (let page = 0; page < HISTORY_PAGES; page++) {
        const common = {
          channel,
          oldest,
          limit: HISTORY_PAGE,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        };
        const answer = earlier.thread
          ? await client.conversations.replies({ ...common, ts: earlier.thread })
          : await client.conversations.history(common);
        const hit = answer.messages?.find(
          (m) =>
            m.metadata?.event_type === DELIVERY_EVENT_TYPE &&
            (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
        );
        if (hit?.ts) return { channel, ts: hit.ts };
        cursor = answer.response_metadata?.next_cursor || undefined;
        if (!answer.has_more || !cursor) return undefined;
      }
      this.options.logger.warn(
        `delivery: ${key} not found in ${HISTORY_PAGES * HISTORY_PAGE} messages of ${channel}; posting it`,
      );
      return undefined;
    } catch (error) {
      const code = platformError(error);
      if (code && LOOKUP_REFUSED.has(code)) {
        this.options.logger.warn(
          `delivery: cannot look for ${key} in Slack (${code}: see the history scopes in docs/slack-app.md); posting it, perhaps a second time`,
        );
        return undefined;
      }
      throw error;
    }
  }
}

/** Answers that mean the lookup cannot be made (not that Slack is away). */
const LOOKUP_REFUSED: ReadonlySet<string> = new Set([
  'missing_scope',
  'not_allowed_token_type',
  'not_in_channel',
  'channel_not_found',
  'thread_not_found',
]);

/** Network errors raised before a request went out: Slack never saw it. */
const NOT_SENT: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** `ok: false` answers after which Slack may still have posted. */
const UNKNOWN_ANSWERS: ReadonlySet<string> = new Set([
  'internal_error',
  'fatal_error',
  'request_timeout',
]);

/**
 * Whether a failed post may have gone through anyway: a dropped connection, a timeout, a 5xx
 * other than 503, Slack's own internal errors. A 429, a 4xx, a 503 (the edge turned it away), a
 * refusal (`ok: false`) or a connection never made mean it did not.
 */
export function outcomeUnknown(error: unknown): boolean {
  const e = error as { code?: unknown; statusCode?: unknown; original?: unknown } | undefined;
  if (e?.code === webApi.ErrorCode.RateLimitedError) return false;
  if (e?.code === webApi.ErrorCode.RequestError) {
    const original = e.original as { code?: unknown } | undefined;
    return !NOT_SENT.has(String(original?.code));
  }
  if (e?.code === webApi.ErrorCode.HTTPError && typeof e.statusCode === 'number')
    return e.statusCode >= 500 && e.statusCode !== 503;
  const code = platformError(error);
  if (code) return UNKNOWN_ANSWERS.has(code);
  return true;
}
