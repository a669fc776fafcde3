import { readFileSync } from 'node:fs';
import { webApi } from '@slack/bolt';
import { type Job, QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/infra/logger.js';
import { BullmqDispatcher } from '../../src/jobs/bullmq-dispatcher.js';
import { type DeliveryWorkers, startDeliveryWorkers } from '../../src/jobs/delivery-worker.js';
import { JOBS, jobIdOf, QUEUES, type QueueSettings } from '../../src/jobs/queues.js';
import { slackDelivery } from '../../src/slack/delivery.js';
import type { SlackDeps } from '../../src/slack/deps.js';
import { SUPPORT_IDS } from '../../src/slack/features/support/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { createLocaleResolver } from '../../src/slack/locale.js';
import { formatDate } from '../../src/slack/views/format.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import type { KeyValueStore, OutboundMessage } from '../../src/usecases/ports/index.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import {
  APPROVAL_CHANNEL,
  type BotUnderTest,
  SUPPORT_CHANNEL,
  startBot,
} from '../support/certops-under-test.js';

type Json = Record<string, unknown>;

const en = translator('en');
const zh = translator('zh-CN');
const TZ = 'Asia/Shanghai';
const ALICE = 'UALICE';
const ZHANG = 'UZHANG'; // Slack in Simplified Chinese
const SUPPORT = `<#${SUPPORT_CHANNEL}>`;

const pem = (name: string) =>
  readFileSync(new URL(`../fixtures/issued/${name}`, import.meta.url), 'utf8');

/** Every text a person reads in a message: the fallback and all texts in its blocks. */
function readable(call: RecordedCall): string {
  const texts: string[] = [String(call.params.text ?? '')];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Json;
      if (typeof o.text === 'string') texts.push(o.text);
      for (const value of Object.values(o)) if (typeof value === 'object') walk(value);
    }
  };
  walk(call.params.blocks);
  return texts.join('\n');
}

function buttons(call: RecordedCall): Json[] {
  return ((call.params.blocks as Json[] | undefined) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Json[]);
}

describe('delivery workers: DMs and the support digest over real BullMQ and Redis', () => {
  const clock = fixedClock(new Date('2126-06-04T10:00:00+08:00'));
  let bot: BotUnderTest;
  let dispatcher: BullmqDispatcher;
  let workers: DeliveryWorkers;
  let directEvents: QueueEvents;
  let supportEvents: QueueEvents;
  let aliceCert: { id: string; name: string; notAfter: number };
  let zhangCert: { id: string; name: string; notAfter: number };
  const errors: string[] = [];
  let failMarks = 0;

  beforeAll(async () => {
    // The web role runs no workers of its own: these tests start the delivery workers.
    bot = await startBot({ clock, env: { CERTOPS_ROLE: 'web' } });
    bot.slack.setLocale(ZHANG, 'zh-CN');
    const settings: QueueSettings = {
      connection: { url: bot.config.redis.url },
      prefix: bot.config.queue.prefix,
    };
    dispatcher = new BullmqDispatcher(settings, bot.redis.redis);
    const store = new RedisKeyValueStore(bot.redis.redis, bot.config.redis.keyPrefix);
    // Redis as it restarts: the next `failMarks` delivered marks fail as a fail-fast connection does.
    const kv: KeyValueStore = {
      get: (key) => store.get(key),
      setIfAbsent: (key, value, ttl) => store.setIfAbsent(key, value, ttl),
      delete: (key) => store.delete(key),
      async set(key, value, ttl) {
        if (key.startsWith('delivered:') && failMarks > 0) {
          failMarks--;
          throw new Error("Stream isn't writeable and enableOfflineQueue options is false");
        }
        await store.set(key, value, ttl);
      },
    };
    const logger = createLogger({
      level: 'debug' as never,
      write: (line) => {
        if (line.includes('"error"')) errors.push(line);
      },
    });
    const deps: SlackDeps = {
      useCases: bot.certops.useCases,
      settings: { approvalChannel: APPROVAL_CHANNEL, supportChannel: SUPPORT_CHANNEL },
      kv,
      logger,
      localeOf: createLocaleResolver({
        client: new webApi.WebClient(bot.config.slack.botToken, {
          slackApiUrl: bot.config.slack.apiUrl,
        }),
        cache: kv,
      }),
    };
    workers = startDeliveryWorkers({
      settings,
      delivery: slackDelivery({ deps, slack: bot.config.slack }),
      kv: deps.kv,
      dispatcher,
      logger,
    });
    directEvents = new QueueEvents(QUEUES.directMessages, settings);
    supportEvents = new QueueEvents(QUEUES.supportMessages, settings);
    await Promise.all([directEvents.waitUntilReady(), supportEvents.waitUntilReady()]);
    const upload = async (file: string, user: string) => {
      const result = await uploadCertificate(bot.certops.useCases, {
        pem: pem(file),
        uploaderId: user,
      });
      if (!result.ok) throw new Error(JSON.stringify(result.refusal));
      const cert = result.value.certificate;
      return { id: cert.id, name: cert.name, notAfter: cert.notAfter ?? 0 };
    };
    aliceCert = await upload('shop-ov-2126.pem', ALICE);
    zhangCert = await upload('wildcard-ov-2126.pem', ZHANG);
  });
  afterAll(async () => {
    await workers?.direct.close();
    await workers?.support.close();
    await directEvents?.close();
    await supportEvents?.close();
    await dispatcher?.close();
    await bot?.stop();
  });

  const since = () => bot.slack.calls.length;
  // Generous: the first delivery in a loaded suite pays for cold module loads and locale lookups.
  const next = (from: number, match: (c: RecordedCall) => boolean) =>
    bot.slack.waitFor((c) => bot.slack.calls.indexOf(c) >= from && match(c));
  const postsTo = (from: number, channel: string) =>
    bot.slack.calls
      .slice(from)
      .filter((c) => c.method === 'chat.postMessage' && c.params.channel === channel);
  /** Resolves with the finished DM job of `key` (its return value, attempts, ...). */
  async function finished(key: string, jobId = jobIdOf(key)): Promise<Job> {
    const job = await dispatcher.direct.getJob(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    await job.waitUntilFinished(directEvents, 30_000);
    const done = await dispatcher.direct.getJob(jobId);
    if (!done) throw new Error(`job ${jobId} is gone`);
    return done;
  }
  /** Times (ms) of the fake's scripted failures of a method, from now on. */
  function failures(method: string): number[] {
    const at: number[] = [];
    bot.slack.on('failed', (call: RecordedCall) => {
      if (call.method === method) at.push(call.at);
    });
    return at;
  }

  const expiry = (userId: string, cert: typeof aliceCert, daysLeft: number): OutboundMessage => ({
    kind: 'expiry_reminder',
    userId,
    certificateId: cert.id,
    threshold: daysLeft,
    daysLeft,
    notAfter: cert.notAfter,
  });

  it('delivers a DM once, rendered in the recipient’s language (en, zh-CN)', async () => {
    const from = since();
    await dispatcher.dispatch(expiry(ALICE, aliceCert, 30), `expiry:${aliceCert.id}:t30`);
    await dispatcher.dispatch(expiry(ZHANG, zhangCert, 30), `expiry:${zhangCert.id}:t30`);
    await dispatcher.dispatch(
      { kind: 'expired', userId: ZHANG, certificateId: zhangCert.id, notAfter: zhangCert.notAfter },
      `expiry:${zhangCert.id}:expired-owner`,
    );
    await dispatcher.dispatch(
      { kind: 'renewal_activated', userId: ALICE, certificateId: aliceCert.id, renewalId: 'c-r1' },
      `expiry:${aliceCert.id}:activated`,
    );
    const date = formatDate(aliceCert.notAfter, TZ);
    // Matched by its title: the DMs go out concurrently, and the activation DM to Alice names
    // the same certificate (matching on the id alone picked it up when it went out first).
    const alice = await next(
      from,
      (c) =>
        c.params.channel === ALICE &&
        readable(c).includes(en('clocks.expiry.title', { daysLeft: 30 })),
    );
    expect(readable(alice)).toContain(aliceCert.id);
    expect(readable(alice)).toContain(en('clocks.expiry.title', { daysLeft: 30 }));
    expect(readable(alice)).toContain(
      en('clocks.expiry.text', {
        name: aliceCert.name,
        id: aliceCert.id,
        date,
        zone: TZ,
        daysLeft: 30,
      }),
    );
    expect(buttons(alice).map((b) => [b.action_id, (b.text as Json).text])).toEqual([
      ['clocks.renew', en('clocks.expiry.renew')],
    ]);
    // By title too: the expired DM to Zhang also has a Renew button.
    const zhang = await next(
      from,
      (c) =>
        c.params.channel === ZHANG &&
        readable(c).includes(zh('clocks.expiry.title', { daysLeft: 30 })),
    );
    expect(readable(zhang)).toContain(zh('clocks.expiry.renew'));
    const expired = await next(
      from,
      (c) => c.params.channel === ZHANG && readable(c).includes(zh('clocks.expired.title')),
    );
    expect(readable(expired)).toContain(
      zh('clocks.expired.text', {
        name: zhangCert.name,
        id: zhangCert.id,
        date: formatDate(zhangCert.notAfter, TZ),
        zone: TZ,
        support: SUPPORT,
      }),
    );
    const activated = await next(
      from,
      (c) => c.params.channel === ALICE && readable(c).includes(en('clocks.activated.title')),
    );
    expect(readable(activated)).toContain('`c-r1`');
    for (const key of [
      `expiry:${aliceCert.id}:t30`,
      `expiry:${zhangCert.id}:t30`,
      `expiry:${zhangCert.id}:expired-owner`,
      `expiry:${aliceCert.id}:activated`,
    ]) {
      expect((await finished(key)).returnvalue).toBe('delivered');
    }
    expect(postsTo(from, ALICE)).toHaveLength(2);
    expect(postsTo(from, ZHANG)).toHaveLength(2);
  });

  it('a notice for a certificate without owner goes to the support channel', async () => {
    const from = since();
    const key = `expiry:${aliceCert.id}:t14-unowned`;
    await dispatcher.dispatch(expiry('', aliceCert, 14), key);
    expect((await finished(key)).returnvalue).toBe('delivered');
    const [posted, ...more] = postsTo(from, SUPPORT_CHANNEL);
    expect(more).toEqual([]);
    expect(readable(posted as RecordedCall)).toContain(en('clocks.unowned', { id: aliceCert.id }));
    expect(readable(posted as RecordedCall)).toContain(en('clocks.expiry.title', { daysLeft: 14 }));
  });

  it('a 429 with Retry-After is retried after it, delivered once, without using an attempt', async () => {
    const from = since();
    const failedAt = failures('chat.postMessage');
    bot.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const key = `expiry:${aliceCert.id}:t7`;
    await dispatcher.dispatch(expiry(ALICE, aliceCert, 7), key);
    const job = await finished(key);
    expect(job.returnvalue).toBe('delivered');
    // attemptsMade counts the attempt that succeeded: the rate-limited one was not used up.
    expect(job.attemptsMade).toBe(1);
    expect(job.stacktrace ?? []).toEqual([]);
    const posts = postsTo(from, ALICE);
    expect(posts).toHaveLength(1);
    expect(failedAt).toHaveLength(1);
    expect((posts[0] as RecordedCall).at - (failedAt[0] ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('a 5xx pauses the queue without using an attempt, and the message is delivered once', async () => {
    const from = since();
    const failedAt = failures('chat.postMessage');
    bot.slack.failNext('chat.postMessage', { status: 503 });
    const key = `expiry:${aliceCert.id}:t3`;
    await dispatcher.dispatch(expiry(ALICE, aliceCert, 3), key);
    const job = await finished(key);
    expect(job.returnvalue).toBe('delivered');
    expect(job.attemptsMade).toBe(1); // the attempt that succeeded: Slack being away used none
    expect(job.stacktrace ?? []).toEqual([]);
    const posts = postsTo(from, ALICE);
    expect(posts).toHaveLength(1);
    expect(failedAt).toHaveLength(1);
    // The first pause of an outage: 1 s.
    expect((posts[0] as RecordedCall).at - (failedAt[0] ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('a delivered mark that fails right after the post is tried again: posted once, not retried', async () => {
    const from = since();
    failMarks = 3;
    const key = `expiry:${aliceCert.id}:t14-mark`;
    await dispatcher.dispatch(expiry(ALICE, aliceCert, 14), key);
    const job = await finished(key);
    expect(job.returnvalue).toBe('delivered');
    expect(job.attemptsMade).toBe(1);
    expect(failMarks).toBe(0);
    expect(postsTo(from, ALICE)).toHaveLength(1);
  });

  it('the same key posts once: dispatched twice, or run again as another job', async () => {
    const from = since();
    const key = `expiry:${zhangCert.id}:t1`;
    await dispatcher.dispatch(expiry(ZHANG, zhangCert, 1), key);
    await dispatcher.dispatch(expiry(ZHANG, zhangCert, 1), key);
    expect((await finished(key)).returnvalue).toBe('delivered');
    // Once the first job is removed (a day later), a repeat becomes a new job: the delivered
    // record still absorbs it.
    await dispatcher.direct.add(
      JOBS.deliver,
      { message: expiry(ZHANG, zhangCert, 1), key },
      { jobId: 'repeat-of-t1' },
    );
    expect((await finished(key, 'repeat-of-t1')).returnvalue).toBe('already_delivered');
    expect(postsTo(from, ZHANG)).toHaveLength(1);
  });

  it('a reminder about something settled meanwhile is dropped', async () => {
    const from = since();
    const key = `expiry:${aliceCert.id}:old-notafter`;
    await dispatcher.dispatch({ ...expiry(ALICE, aliceCert, 30), notAfter: 1 } as never, key);
    expect((await finished(key)).returnvalue).toBe('stale');
    expect(postsTo(from, ALICE)).toEqual([]);
  });

  it('one escalation opens a support case (Acknowledge, Resolve), once despite a 429; the requester is told', async () => {
    const from = since();
    bot.slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    const key = `sla:app-single:breach`;
    await dispatcher.dispatch(
      {
        kind: 'escalation',
        cause: 'sla_breach',
        certificateId: zhangCert.id,
        applicationId: 'app-single',
        requesterId: ZHANG,
      },
      key,
    );
    const parent = await next(
      from,
      (c) => c.method === 'chat.postMessage' && c.params.channel === SUPPORT_CHANNEL,
    );
    expect(buttons(parent).map((b) => b.action_id)).toEqual([SUPPORT_IDS.ack, SUPPORT_IDS.resolve]);
    expect(readable(parent)).toContain(en('clocks.summary.sla_breach', { app: 'app-single' }));
    expect(readable(parent)).toContain(`<@${ZHANG}>`);
    const dm = await next(from, (c) => c.params.channel === ZHANG);
    expect(dm.params.text).toBe(
      zh('clocks.requester.sla_breach', {
        app: 'app-single',
        name: zhangCert.name,
        id: zhangCert.id,
        support: SUPPORT,
      }),
    );
    expect((await finished(`${key}:requester`)).returnvalue).toBe('delivered');
    expect(postsTo(from, SUPPORT_CHANNEL)).toHaveLength(1);
    expect(await dispatcher.escalations.size()).toBe(0);
  });

  describe('a later success closes the support case of a failed managed renewal', () => {
    const closing = (certificateId: string): OutboundMessage => ({
      kind: 'case_closed',
      certificateId,
      cause: 'renewal_purchase_approved',
      by: 'UAPPROVER1',
    });
    const closedText = en('support.closed.renewal_purchase_approved', { by: '<@UAPPROVER1>' });
    const replies = (from: number, ts: string) =>
      postsTo(from, SUPPORT_CHANNEL).filter((c) => c.params.thread_ts === ts);

    /** A case opened by a renewal_failed escalation, as the expiry check dispatches it. */
    async function openCase(
      certificateId: string,
      cause = 'activation-failed',
    ): Promise<RecordedCall> {
      const from = since();
      await dispatcher.dispatch(
        {
          kind: 'escalation',
          cause: 'renewal_failed',
          certificateId,
          detail: 'InvalidProduct: this product is no longer sold',
        },
        `expiry:${certificateId}:${cause}`,
      );
      return next(from, (c) => c.method === 'chat.postMessage' && buttons(c).length > 0);
    }

    it('no open case: nothing is posted', async () => {
      const from = since();
      const key = 'renewal-failure:c-no-case:1:closed';
      await dispatcher.dispatch(closing('c-no-case'), key);
      expect((await finished(key)).returnvalue).toBe('no_one');
      expect(bot.slack.calls.slice(from).filter((c) => c.method.startsWith('chat.'))).toEqual([]);
    });

    it('an open case gets one closing reply and is resolved, however often the job runs', async () => {
      const parent = await openCase('c-closing');
      const ts = String(parent.response?.ts);
      const from = since();
      // The first run posts its reply, then Slack fails the update: the job runs again.
      const failedUpdates = failures('chat.update');
      bot.slack.failNext('chat.update', { status: 500 });
      const key = 'renewal-failure:c-closing:1:closed';
      await dispatcher.dispatch(closing('c-closing'), key);
      await dispatcher.dispatch(closing('c-closing'), key);
      expect((await finished(key)).returnvalue).toBe('delivered');
      const [reply, ...more] = replies(from, ts);
      expect(more).toEqual([]);
      expect(reply?.params.text).toBe(closedText);
      const updates = bot.slack.calls
        .slice(from)
        .filter((c) => c.method === 'chat.update' && c.params.ts === ts);
      expect(failedUpdates).toHaveLength(1);
      expect(updates).toHaveLength(1);
      const resolved = updates[0] as RecordedCall;
      expect(buttons(resolved)).toEqual([]);
      expect(readable(resolved)).toContain(':white_check_mark: Resolved by certops');
      // Run again as another job (its first one removed): the delivered record absorbs it.
      await dispatcher.direct.add(
        JOBS.deliver,
        { message: closing('c-closing'), key },
        { jobId: 'repeat-of-closing' },
      );
      expect((await finished(key, 'repeat-of-closing')).returnvalue).toBe('already_delivered');
      expect(replies(from, ts)).toHaveLength(1);
      // Resolved: the next escalation of that certificate opens a new case.
      const again = await openCase('c-closing', 'activation-refused');
      expect(again.params.thread_ts).toBeUndefined();
      expect(again.response?.ts).not.toBe(ts);
    });
  });

  it('a burst of 500 escalations becomes ONE digest message in the support channel', async () => {
    const from = since();
    const digestDone = new Promise<unknown>((resolve) => {
      const onCompleted = ({ returnvalue }: { returnvalue: unknown }) => {
        const value = typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue;
        if ((value as { escalations?: number } | null)?.escalations === 500) {
          supportEvents.off('completed', onCompleted);
          resolve(value);
        }
      };
      supportEvents.on('completed', onCompleted);
    });
    const causes = ['sla_breach', 'expired', 'renewal_failed'] as const;
    await Promise.all(
      Array.from({ length: 500 }, (_, n) =>
        dispatcher.dispatch(
          {
            kind: 'escalation',
            cause: causes[n % 3] ?? 'expired',
            certificateId: `c-burst-${n}`,
            ...(n % 3 === 0 ? { applicationId: `a-burst-${n}` } : {}),
            ...(n % 3 === 2 ? { detail: 'ca.unavailable' } : {}),
          },
          `burst:${n}`,
        ),
      ),
    );
    expect(await digestDone).toEqual({ escalations: 500, posted: 'digest' });
    const posts = postsTo(from, SUPPORT_CHANNEL);
    expect(posts).toHaveLength(1);
    const digest = posts[0] as RecordedCall;
    const blocks = digest.params.blocks as Json[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(blocks).length).toBeLessThanOrEqual(12_000);
    const text = readable(digest);
    expect(text).toContain(en('clocks.digest.title', { count: 500 }));
    expect(text).toContain(
      en('clocks.digest.counts', { cause: en('clocks.cause.sla_breach'), count: 167 }),
    );
    const listed = (text.match(/^• /gm) ?? []).length;
    expect(listed).toBeGreaterThan(20);
    expect(text).toContain(en('clocks.digest.more', { count: 500 - listed }));
    expect(text).toContain('`c-burst-0`');
    expect(await dispatcher.escalations.size()).toBe(0);
    expect(errors).toEqual([]);
  });
});
