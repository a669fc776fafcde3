import { webApi } from '@slack/bolt';
import { type Job, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/domain/certificate.js';
import { fixedClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/infra/logger.js';
import { BullmqDispatcher, type DeliveryJob } from '../../src/jobs/bullmq-dispatcher.js';
import { sweepFailedDeliveries } from '../../src/jobs/delivery-sweep.js';
import { deliveredKey } from '../../src/jobs/delivery-worker.js';
import { JOBS, jobIdOf, QUEUES, type QueueSettings } from '../../src/jobs/queues.js';
import { translator } from '../../src/slack/i18n/index.js';
import { classifySlackFailure } from '../../src/slack/web-api-failures.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import type { UseCaseContext } from '../../src/usecases/context.js';
import { runExpiryCheck } from '../../src/usecases/expiry-check.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import { type BotUnderTest, SUPPORT_CHANNEL, startBot } from '../support/certops-under-test.js';
import { certificate } from '../support/fixtures.js';

const en = translator('en');
const DAY_MS = 86_400_000;
const NOW = new Date('2126-06-04T10:00:00+08:00');
const COUNT = 10;
const owner = (i: number) => `UOUT${i}`;
const logger = createLogger({ level: 'debug' as never, write: () => undefined });

/**
 * Slack's Web API down for a while, the real bot (all roles) running its delivery workers with
 * the outage backoff capped at 1 s by its setting: reminders wait without using attempts,
 * whether Slack answers 503 or drops connections, and each is delivered exactly once after.
 */
describe('a Slack outage loses no reminder', () => {
  const clock = fixedClock(NOW);
  let bot: BotUnderTest;
  let dispatcher: BullmqDispatcher;
  let events: QueueEvents;
  let ctx: UseCaseContext;
  let kv: RedisKeyValueStore;
  let certs: Certificate[];

  beforeAll(async () => {
    bot = await startBot({ clock, env: { CERTOPS_SLACK_OUTAGE_MAX_BACKOFF_SECONDS: '1' } });
    const settings: QueueSettings = {
      connection: { url: bot.config.redis.url },
      prefix: bot.config.queue.prefix,
    };
    dispatcher = new BullmqDispatcher(settings, bot.redis.redis);
    events = new QueueEvents(QUEUES.directMessages, settings);
    await events.waitUntilReady();
    kv = new RedisKeyValueStore(bot.redis.redis, bot.config.redis.keyPrefix);
    ctx = { ...bot.certops.useCases, dispatcher };
    // Certificates expiring 10 days from now, one owner each: each owes its 14-day reminder.
    const at = NOW.getTime();
    const notAfter = at + 10 * DAY_MS;
    certs = Array.from({ length: COUNT }, (_, i) =>
      certificate({
        id: `cout${i}`,
        name: `outage-${i}`,
        spec: { brand: 'DigiCert', validationType: 'DV', domainType: 'single', grade: 'standard' },
        state: 'uploaded',
        source: 'uploaded',
        domains: [`o${i}.example.com`],
        team: 'default',
        ownerUserId: owner(i),
        notBefore: notAfter - 365 * DAY_MS,
        notAfter,
        createdAt: at,
        updatedAt: at,
      }),
    );
    const seeded = await bot.certops.store.commit((tx) => {
      for (const cert of certs) tx.createCertificate(cert, { actor: 'test', at, action: 'seed' });
    });
    expect(seeded.ok).toBe(true);
  });
  afterAll(async () => {
    bot?.slack.endOutage();
    await events?.close();
    await dispatcher?.close();
    await bot?.stop();
  });

  /** Resolves once Slack has turned away `count` more calls. */
  function refusedCalls(count: number): Promise<void> {
    return new Promise((resolve) => {
      let seen = 0;
      const onFailed = () => {
        if (++seen < count) return;
        bot.slack.off('failed', onFailed);
        resolve();
      };
      bot.slack.on('failed', onFailed);
    });
  }

  const keyOf = (cert: Certificate) => `expiry:${cert.id}:${cert.notAfter}:14`;
  const dmsTo = (user: string) =>
    bot.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params.channel === user);

  it('keeps every reminder due through 503s and dropped connections, then delivers each once', async () => {
    bot.slack.startOutage('http', 503);
    // Four refusals per reminder on average: the old settings would have used up attempts.
    const refused503 = refusedCalls(4 * COUNT);
    const summary = await runExpiryCheck(ctx, [30, 14, 7, 3, 1]);
    expect(summary).toMatchObject({ examined: COUNT, reminders: COUNT });
    await refused503;

    const waiting = async () => {
      const jobs = (
        await Promise.all(certs.map((c) => dispatcher.direct.getJob(jobIdOf(keyOf(c)))))
      ).filter((j): j is Job<DeliveryJob> => j !== undefined);
      expect(jobs).toHaveLength(COUNT);
      for (const job of jobs) {
        expect(await job.getState()).not.toBe('failed');
        expect(await job.getState()).not.toBe('completed');
        expect(job.attemptsMade).toBe(0);
      }
    };
    await waiting();

    // Now the network fails instead (connections dropped): the same.
    const refusedReset = refusedCalls(2 * COUNT);
    bot.slack.startOutage('reset');
    await refusedReset;
    await waiting();
    expect(bot.slack.callsOf('chat.postMessage')).toEqual([]);

    // Slack is back: each reminder reaches its owner, once.
    bot.slack.endOutage();
    for (const cert of certs) {
      const job = await dispatcher.direct.getJob(jobIdOf(keyOf(cert)));
      // Bounded by the 1 s pause cap, plus the limiter's 10 a second.
      const value = await job?.waitUntilFinished(events, 30_000);
      expect(value).toBe('delivered');
      expect(await kv.get(deliveredKey(keyOf(cert)))).toBe('delivered');
    }
    for (const i of certs.keys()) {
      const dms = dmsTo(owner(i));
      expect(dms).toHaveLength(1);
      expect(JSON.stringify((dms[0] as RecordedCall).params.blocks)).toContain(
        en('clocks.expiry.title', { daysLeft: 10 }),
      );
    }
    const jobs = await Promise.all(certs.map((c) => dispatcher.direct.getJob(jobIdOf(keyOf(c)))));
    expect(jobs.map((j) => j?.attemptsMade)).toEqual(certs.map(() => 1));

    // A re-run of the check sends nothing more.
    const again = await runExpiryCheck(ctx, [30, 14, 7, 3, 1]);
    expect(again.reminders).toBe(0);
    expect(bot.slack.callsOf('chat.postMessage')).toHaveLength(COUNT);
    // A safety net, not a measure: each step above waits for its own event.
  }, 60_000);

  it('the sweep puts a message that failed for good back in line, and it is delivered once', async () => {
    // A job given up before outages were told apart: its one attempt failed on an unknown error.
    bot.slack.failNext('chat.postMessage', {
      status: 200,
      body: { ok: false, error: 'something_unexpected' },
    });
    const cert = certs[0] as Certificate;
    const key = `expiry:${cert.id}:${cert.notAfter}:swept`;
    const job = await dispatcher.direct.add(
      JOBS.deliver,
      {
        message: {
          kind: 'expiry_reminder',
          userId: owner(0),
          certificateId: cert.id,
          threshold: 7,
          daysLeft: 10,
          notAfter: cert.notAfter ?? 0,
        },
        key,
      },
      { jobId: jobIdOf(key), attempts: 1 },
    );
    await expect(job.waitUntilFinished(events, 30_000)).rejects.toThrow('something_unexpected');
    expect(await job.getState()).toBe('failed');
    const before = dmsTo(owner(0)).length;

    // Too old for its queue's limit: reported, not sent.
    const later = () => Date.now() + 2 * DAY_MS;
    expect(
      await sweepFailedDeliveries([{ queue: dispatcher.direct, maxAgeMs: DAY_MS }], logger, later),
    ).toEqual({ retried: 0, unreadable: 0, tooOld: 1 });
    const swept = await sweepFailedDeliveries(
      [{ queue: dispatcher.direct, maxAgeMs: DAY_MS }],
      logger,
    );
    expect(swept).toEqual({ retried: 1, unreadable: 0, tooOld: 0 });
    expect(await job.waitUntilFinished(events, 30_000)).toBe('delivered');
    expect(dmsTo(owner(0))).toHaveLength(before + 1);

    // Swept again: nothing is failed any more, nothing is posted twice.
    expect(
      await sweepFailedDeliveries([{ queue: dispatcher.direct, maxAgeMs: DAY_MS }], logger),
    ).toEqual({ retried: 0, unreadable: 0, tooOld: 0 });
  });

  it('a DM Slack refuses for good is spent, and support gets a case with the reason', async () => {
    const cert = certs[1] as Certificate;
    bot.slack.failNext('chat.postMessage', {
      status: 200,
      body: { ok: false, error: 'user_disabled' },
    });
    const from = bot.slack.calls.length;
    const key = `expiry:${cert.id}:${cert.notAfter}:refused-test`;
    await dispatcher.dispatch(
      {
        kind: 'expiry_reminder',
        userId: owner(1),
        certificateId: cert.id,
        threshold: 3,
        daysLeft: 10,
        notAfter: cert.notAfter ?? 0,
      },
      key,
    );
    const job = await dispatcher.direct.getJob(jobIdOf(key));
    expect(await job?.waitUntilFinished(events, 30_000)).toBe('refused:user_disabled');
    expect(await kv.get(deliveredKey(key))).toBe('refused:user_disabled');
    const supportCase = await bot.slack.waitFor(
      (c) =>
        bot.slack.calls.indexOf(c) >= from &&
        c.method === 'chat.postMessage' &&
        c.params.channel === SUPPORT_CHANNEL &&
        JSON.stringify(c.params).includes('user_disabled (expiry_reminder)'),
    );
    const text = JSON.stringify(supportCase.params);
    expect(text).toContain(cert.id);
    expect(text).toContain(
      JSON.stringify(
        en('clocks.summary.delivery_refused', { detail: 'user_disabled (expiry_reminder)' }),
      ).slice(1, -1),
    );
    expect(bot.logs.some((l) => l.includes('"error"') && l.includes('user_disabled'))).toBe(true);
  });
});

describe('classifySlackFailure', () => {
  const platform = (error: string) => ({
    code: webApi.ErrorCode.PlatformError,
    data: { ok: false, error },
  });
  it('tells Slack being away, the app being refused, and a message refused for good apart', () => {
    expect(classifySlackFailure({ code: webApi.ErrorCode.HTTPError, statusCode: 503 })).toEqual({
      kind: 'unavailable',
      reason: 'HTTP 503',
    });
    expect(
      classifySlackFailure({
        code: webApi.ErrorCode.RequestError,
        original: { code: 'ECONNRESET' },
      }),
    ).toEqual({ kind: 'unavailable', reason: 'network: ECONNRESET' });
    expect(
      classifySlackFailure({ code: webApi.ErrorCode.RateLimitedError, retryAfter: 3 }),
    ).toEqual({ kind: 'rate_limited', retryAfterMs: 3000 });
    expect(classifySlackFailure(platform('internal_error')).kind).toBe('unavailable');
    // A revoked token stops every message alike: they stay due, none is spent.
    expect(classifySlackFailure(platform('token_revoked'))).toEqual({
      kind: 'unavailable',
      reason: 'token_revoked: check the bot token',
    });
    // A missing scope is one method's problem: retried as an error, never holding the queue.
    expect(classifySlackFailure(platform('missing_scope')).kind).toBe('failed');
    expect(classifySlackFailure(platform('is_archived'))).toEqual({
      kind: 'refused',
      code: 'is_archived',
    });
    expect(classifySlackFailure(platform('something_new')).kind).toBe('failed');
    expect(classifySlackFailure({ code: webApi.ErrorCode.HTTPError, statusCode: 400 }).kind).toBe(
      'failed',
    );
  });
});
