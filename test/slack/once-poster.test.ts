import { webApi } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';
import type { SlackClient } from '../../src/slack/deps.js';
import {
  DELIVERY_EVENT_TYPE,
  OncePoster,
  outcomeUnknown,
  PostClaimedError,
} from '../../src/slack/once-poster.js';
import { workerSlackClient } from '../../src/slack/web-api-failures.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { LocalSlackApi } from '../../tools/try/local-slack-api.js';
import { type TestRedis, testRedis } from '../support/redis.js';

const ALICE = 'UONCEALICE';
const SUPPORT = 'CONCESUPPORT';

/**
 * The OncePoster over a real Redis and the fake Slack: every case ends by counting what landed
 * in the conversation, since "posted once" is a fact about Slack's side, not about our calls.
 */
describe('posting once as far as Slack allows', () => {
  let redis: TestRedis;
  let slack: LocalSlackApi;
  let client: SlackClient;
  let kv: RedisKeyValueStore;
  let poster: OncePoster;
  const warnings: string[] = [];
  let n = 0;
  let key: string;

  beforeAll(async () => {
    redis = await testRedis();
    slack = new LocalSlackApi();
    await slack.start();
    const logger = createLogger({
      level: 'debug' as never,
      write: (line) => {
        if (line.includes('"warn"') || line.includes('"info"')) warnings.push(line);
      },
    });
    client = workerSlackClient({ botToken: 'xoxb-once', apiUrl: slack.url }, logger);
    kv = new RedisKeyValueStore(redis.redis, redis.prefix);
    poster = new OncePoster({ kv, logger });
  });
  afterAll(async () => {
    await slack?.stop();
    await redis?.cleanup();
  });
  beforeEach(() => {
    key = `test-${++n}`;
  });
  afterEach(() => {
    slack.reset();
    warnings.length = 0;
  });

  const landed = (channel: string, k: string) =>
    slack
      .messagesIn(channel)
      .filter((m) => m.metadata?.event_type === DELIVERY_EVENT_TYPE)
      .filter((m) => m.metadata?.event_payload.key === k);

  it('carries its key in the message metadata and records the post: a repeat sends nothing', async () => {
    const first = await poster.post(client, key, { channel: SUPPORT, text: 'hello' });
    expect(first).toMatchObject({ ok: true, channel: SUPPORT });
    const again = await poster.post(client, key, { channel: SUPPORT, text: 'hello' });
    expect(again).toMatchObject({ ok: true, channel: SUPPORT, ts: first.ts });
    expect(landed(SUPPORT, key)).toHaveLength(1);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('an answer lost after Slack posted: the retry finds the message and posts nothing', async () => {
    slack.loseAnswers('chat.postMessage');
    const lost = await poster.post(client, key, { channel: SUPPORT, text: 'once' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(lost).toMatchObject({ code: webApi.ErrorCode.RequestError });
    expect(outcomeUnknown(lost)).toBe(true);
    const retried = await poster.post(client, key, { channel: SUPPORT, text: 'once' });
    const [message] = landed(SUPPORT, key);
    expect(retried).toMatchObject({ ok: true, channel: SUPPORT, ts: message?.ts });
    expect(landed(SUPPORT, key)).toHaveLength(1);
    const [lookup] = slack.callsOf('conversations.history');
    expect(lookup?.params).toMatchObject({ channel: SUPPORT, include_all_metadata: 'true' });
    expect(warnings.some((w) => w.includes('was posted by an earlier try'))).toBe(true);
    // Recorded now: a third run neither looks nor posts.
    await poster.post(client, key, { channel: SUPPORT, text: 'once' });
    expect(slack.callsOf('conversations.history')).toHaveLength(1);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('a DM whose answer was lost is looked for in the DM conversation (conversations.open)', async () => {
    slack.loseAnswers('chat.postMessage');
    await expect(poster.post(client, key, { channel: ALICE, text: 'dm' })).rejects.toThrow();
    await poster.post(client, key, { channel: ALICE, text: 'dm' });
    expect(landed(ALICE, key)).toHaveLength(1);
    expect(slack.callsOf('conversations.open')[0]?.params).toMatchObject({ users: ALICE });
    expect(slack.callsOf('conversations.history')[0]?.params).toMatchObject({
      channel: `D_${ALICE}`,
    });
  });

  it('a thread reply whose answer was lost is looked for in its thread (conversations.replies)', async () => {
    const parent = await poster.post(client, `${key}-parent`, { channel: SUPPORT, text: 'case' });
    slack.loseAnswers('chat.postMessage');
    const reply = { channel: SUPPORT, thread_ts: String(parent.ts), text: 'update' };
    await expect(poster.post(client, key, reply)).rejects.toThrow();
    await poster.post(client, key, reply);
    expect(landed(SUPPORT, key)).toHaveLength(1);
    expect(slack.callsOf('conversations.replies')[0]?.params).toMatchObject({
      channel: SUPPORT,
      ts: parent.ts,
    });
  });

  it('a lost answer whose message is not in Slack after all is posted on the retry', async () => {
    // The connection drops before Slack takes the post (an outage that resets connections).
    slack.startOutage('reset');
    await expect(poster.post(client, key, { channel: SUPPORT, text: 'x' })).rejects.toThrow();
    slack.endOutage();
    await poster.post(client, key, { channel: SUPPORT, text: 'x' });
    expect(slack.callsOf('conversations.history')).toHaveLength(1);
    expect(landed(SUPPORT, key)).toHaveLength(1);
  });

  it('a certain failure (503, 429, a refusal) clears the try: the retry posts without a lookup', async () => {
    slack.failNext(
      'chat.postMessage',
      { status: 503 },
      { status: 429, retryAfterSeconds: 1 },
      { status: 200, body: { ok: false, error: 'channel_not_found' } },
    );
    for (let i = 0; i < 3; i++)
      await expect(poster.post(client, key, { channel: SUPPORT, text: 'y' })).rejects.toThrow();
    await poster.post(client, key, { channel: SUPPORT, text: 'y' });
    expect(slack.callsOf('conversations.history')).toHaveLength(0);
    expect(landed(SUPPORT, key)).toHaveLength(1);
  });

  it('without the history scopes the lookup is refused: posted again, and a warning says why', async () => {
    slack.loseAnswers('chat.postMessage');
    await expect(poster.post(client, key, { channel: SUPPORT, text: 'z' })).rejects.toThrow();
    slack.failNext('conversations.history', {
      status: 200,
      body: { ok: false, error: 'missing_scope' },
    });
    await poster.post(client, key, { channel: SUPPORT, text: 'z' });
    expect(landed(SUPPORT, key)).toHaveLength(2);
    expect(warnings.some((w) => w.includes('missing_scope'))).toBe(true);
  });

  it('Slack away during the lookup: the retry fails and the try is kept for the next one', async () => {
    slack.loseAnswers('chat.postMessage');
    await expect(poster.post(client, key, { channel: SUPPORT, text: 'w' })).rejects.toThrow();
    slack.failNext('conversations.history', { status: 503 });
    await expect(poster.post(client, key, { channel: SUPPORT, text: 'w' })).rejects.toMatchObject({
      statusCode: 503,
    });
    await poster.post(client, key, { channel: SUPPORT, text: 'w' });
    expect(landed(SUPPORT, key)).toHaveLength(1);
    expect(slack.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('one post at a time per key: a second worker finds it claimed', async () => {
    const release = slack.holdNext('chat.postMessage');
    const held = new Promise((resolve) => slack.once('held', resolve));
    const first = poster.post(client, key, { channel: SUPPORT, text: 'c' });
    await held;
    await expect(poster.post(client, key, { channel: SUPPORT, text: 'c' })).rejects.toBeInstanceOf(
      PostClaimedError,
    );
    release();
    await first;
    // The claim is released with the post: a later run answers from the record.
    await poster.post(client, key, { channel: SUPPORT, text: 'c' });
    expect(landed(SUPPORT, key)).toHaveLength(1);
  });

  it('a job run posting three messages, the third failing: its retry posts only the third', async () => {
    const run = async () => {
      const job = poster.forJob(client, key);
      for (const text of ['one', 'two', 'three'])
        await job.chat.postMessage({ channel: SUPPORT, text });
    };
    const calls = () => slack.callsOf('chat.postMessage').map((c) => c.params.text);
    // Slack goes away right after the second post.
    let posts = 0;
    const onCall = (c: { method: string }) => {
      if (c.method === 'chat.postMessage' && ++posts === 2) slack.startOutage('http', 503);
    };
    slack.on('call', onCall);
    await expect(run()).rejects.toMatchObject({ statusCode: 503 });
    slack.off('call', onCall);
    slack.endOutage();
    await run();
    expect(calls()).toEqual(['one', 'two', 'three']);
    expect([0, 1, 2].map((i) => landed(SUPPORT, `${key}#${i}`).length)).toEqual([1, 1, 1]);
  });

  it('tells an unknown outcome from a certain failure', () => {
    const request = (code: string) =>
      Object.assign(new Error(code), { code: webApi.ErrorCode.RequestError, original: { code } });
    const http = (statusCode: number) =>
      Object.assign(new Error('http'), { code: webApi.ErrorCode.HTTPError, statusCode });
    const platform = (error: string) =>
      Object.assign(new Error(error), {
        code: webApi.ErrorCode.PlatformError,
        data: { ok: false, error },
      });
    expect(
      [
        request('ECONNRESET'),
        request('ECONNABORTED'),
        http(500),
        http(504),
        platform('internal_error'),
      ].map(outcomeUnknown),
    ).toEqual([true, true, true, true, true]);
    expect(
      [
        request('ECONNREFUSED'),
        http(503),
        http(400),
        platform('channel_not_found'),
        Object.assign(new Error('429'), { code: webApi.ErrorCode.RateLimitedError }),
      ].map(outcomeUnknown),
    ).toEqual([false, false, false, false, false]);
  });
});
