import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { createLogger } from '../../src/infra/logger.js';
import type { SlackClient, SlackDeps } from '../../src/slack/deps.js';
import { escalate } from '../../src/slack/features/support/index.js';
import { SUPPORT_IDS } from '../../src/slack/features/support/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import type { DrainableEventSink as SlackNotifier } from '../../src/usecases/ports/index.js';
import { recordValidationFailed } from '../../src/usecases/record-ca-outcome.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import {
  APPROVAL_CHANNEL,
  type BotUnderTest,
  SUPPORT_CHANNEL,
  startBot,
} from '../support/certops-under-test.js';
import { SlackDriver } from '../support/slack-driver.js';

type Json = Record<string, unknown>;

const en = translator('en');
const zh = translator('zh-CN');
const TZ = 'Asia/Shanghai';
const START = new Date('2126-06-04T10:00:00+08:00');
const START_LOCAL = en('support.when', { time: '2126-06-04 10:00', zone: TZ });

const ALICE = 'UALICE'; // team default
const ZHANG = 'UZHANG'; // team default, Slack in Simplified Chinese
const HELPER = 'USUPPORT1'; // someone in the support channel
const HELPER2 = 'USUPPORT2';
const APPROVER1 = 'UAPPROVER1';
const SUPPORT = `<#${SUPPORT_CHANNEL}>`;

function blocksOf(call: RecordedCall): Json[] {
  return (call.params.blocks as Json[] | undefined) ?? [];
}

function buttons(call: RecordedCall): Json[] {
  return blocksOf(call)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Json[]);
}

function readable(call: RecordedCall): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Json;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string')
        texts.push(o.text);
      for (const value of Object.values(o)) if (typeof value === 'object') walk(value);
    }
  };
  walk(call.params.blocks);
  return texts.join('\n');
}

describe('the support channel: one case per certificate, its thread, Acknowledge and Resolve', () => {
  const clock = fixedClock(START);
  let bot: BotUnderTest;
  let driver: SlackDriver;
  let contacts = 0;

  beforeAll(async () => {
    bot = await startBot({ clock });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(ZHANG, 'zh-CN');
  });
  afterAll(() => bot?.stop());

  const ctx = () => bot.certops.useCases;
  /** Waits for event notifications in flight (they are delivered in the background). */
  const settle = () => (ctx().events as SlackNotifier).drain();
  /** The DM to a user since `from` that mentions the support channel. */
  const supportDm = (from: number, userId: string) =>
    next(
      from,
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === userId &&
        String(c.params.text).includes(SUPPORT),
    );
  const since = () => bot.slack.calls.length;
  const callsSince = (from: number, match: (c: RecordedCall) => boolean) =>
    bot.slack.calls.slice(from).filter(match);
  const next = (from: number, match: (c: RecordedCall) => boolean) =>
    bot.slack.waitFor((c) => bot.slack.calls.indexOf(c) >= from && match(c));
  const isParent = (c: RecordedCall) =>
    c.method === 'chat.postMessage' &&
    c.params.channel === SUPPORT_CHANNEL &&
    c.params.thread_ts === undefined &&
    (blocksOf(c)[0]?.text as Json | undefined)?.text !== undefined &&
    buttons(c).some((b) => b.action_id === SUPPORT_IDS.resolve);
  const isReply = (c: RecordedCall) =>
    c.method === 'chat.postMessage' &&
    c.params.channel === SUPPORT_CHANNEL &&
    c.params.thread_ts !== undefined;

  async function buy(name: string): Promise<string> {
    const result = await recordPurchases(ctx(), APPROVER1, [
      {
        kind: 'instances',
        brand: 'GeoTrust',
        validationType: 'OV',
        domainType: 'single',
        grade: 'standard',
        validityYears: 1,
        domainQuota: 1,
        quantity: 1,
        team: 'default',
        name,
      },
    ]);
    if (!result.ok) throw new Error(JSON.stringify(result.refusal));
    return result.value.certificateIds[0] ?? '';
  }

  /** Apply, approve (to the manual CA) and record the CA's refusal: a validation_failed event. */
  async function failValidation(certificateId: string, reason: string, requester = ALICE) {
    const n = ++contacts;
    const applied = await applyForCertificate(ctx(), {
      certificateId,
      requesterId: requester,
      domains: ['api.example.com'],
      validationMethod: 'email',
      contact: {
        kind: 'new',
        fields: {
          name: `Han ${n}`,
          email: `han${n}@example.com`,
          phone: `+861390000${String(n).padStart(4, '0')}`,
        },
      },
      hosting: false,
    });
    if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
    const app = applied.value.application;
    const decided = await decideApplication(ctx(), {
      applicationId: app.id,
      deciderId: APPROVER1,
      decision: 'approve',
    });
    if (!decided.ok) throw new Error(JSON.stringify(decided.refusal));
    const failed = await recordValidationFailed(ctx(), {
      applicationId: app.id,
      actor: APPROVER1,
      reason,
    });
    if (!failed.ok) throw new Error(JSON.stringify(failed.refusal));
    await settle();
    return app;
  }

  let certId = '';
  let parent: RecordedCall;

  it('opens a case with Acknowledge and Resolve, and tells the requester where support is', async () => {
    certId = await buy('api cert');
    const from = since();
    const reason = 'No answer to the <verification> email';
    const app = await failValidation(certId, reason);
    parent = await next(from, isParent);
    expect(blocksOf(parent)[0]).toMatchObject({
      type: 'header',
      text: { text: en('support.case.title', { name: 'api cert' }) },
    });
    const escaped = 'No answer to the &lt;verification&gt; email';
    const text = readable(parent);
    expect(text).toContain(
      en('support.summary.validation_failed', {
        app: app.id,
        domains: 'api.example.com',
        reason: escaped,
      }),
    );
    expect(text).toContain(
      en('support.case.context', { id: certId, requester: `<@${ALICE}>`, at: START_LOCAL }),
    );
    expect(buttons(parent).map((b) => [b.action_id, JSON.parse(b.value as string)])).toEqual([
      [SUPPORT_IDS.ack, { c: certId }],
      [SUPPORT_IDS.resolve, { c: certId }],
    ]);
    const dm = await supportDm(from, ALICE);
    expect(dm.params.text).toBe(
      en('support.dm.validation_failed', {
        name: 'api cert',
        id: certId,
        reason: escaped,
        support: SUPPORT,
      }),
    );
    expect(String(dm.params.text)).toContain(SUPPORT);
  });

  it('puts a second failure of the same certificate in the case thread, not a new case', async () => {
    const from = since();
    const app = await failValidation(certId, 'CA could not reach the contact by phone');
    const reply = await next(from, isReply);
    expect(reply.params.thread_ts).toBe(parent.response?.ts);
    expect(reply.params.text).toBe(
      en('support.summary.validation_failed', {
        app: app.id,
        domains: 'api.example.com',
        reason: 'CA could not reach the contact by phone',
      }),
    );
    await supportDm(from, ALICE);
    expect(callsSince(from, isParent)).toEqual([]);
  });

  it('shows who acknowledged, in place, and refuses a second Acknowledge', async () => {
    const from = since();
    await driver.click(parent, SUPPORT_IDS.ack, HELPER);
    const update = await next(from, (c) => c.method === 'chat.update');
    expect(update.params).toMatchObject({ channel: SUPPORT_CHANNEL, ts: parent.response?.ts });
    expect(readable(update)).toContain(
      en('support.acknowledged', { by: `<@${HELPER}>`, at: START_LOCAL }),
    );
    expect(buttons(update).map((b) => b.action_id)).toEqual([SUPPORT_IDS.resolve]);

    const again = since();
    await driver.click(parent, SUPPORT_IDS.ack, HELPER2);
    const reply = await next(again, (c) => c.method.startsWith('response_url:'));
    expect(reply.params).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply.params.text).toBe(
      en('support.already_acknowledged', { by: `<@${HELPER}>`, at: START_LOCAL }),
    );
    expect(callsSince(again, (c) => c.method === 'chat.update')).toEqual([]);
  });

  it('resolves in place; the next escalation for the certificate opens a new case', async () => {
    const from = since();
    clock.advance(60 * 60 * 1000);
    await driver.click(parent, SUPPORT_IDS.resolve, HELPER2);
    const update = await next(from, (c) => c.method === 'chat.update');
    expect(update.params).toMatchObject({ channel: SUPPORT_CHANNEL, ts: parent.response?.ts });
    const text = readable(update);
    expect(text).toContain(en('support.acknowledged', { by: `<@${HELPER}>`, at: START_LOCAL }));
    expect(text).toContain(
      en('support.resolved', {
        by: `<@${HELPER2}>`,
        at: en('support.when', { time: '2126-06-04 11:00', zone: TZ }),
      }),
    );
    expect(buttons(update)).toEqual([]);

    // A stale Resolve (an old copy of the message) changes nothing.
    const stale = since();
    await driver.click(parent, SUPPORT_IDS.resolve, HELPER);
    const reply = await next(stale, (c) => c.method.startsWith('response_url:'));
    expect(reply.params.text).toBe(en('support.already_resolved'));
    expect(callsSince(stale, (c) => c.method === 'chat.update')).toEqual([]);

    const later = since();
    await failValidation(certId, 'Third time: the DNS record is missing');
    const fresh = await next(later, isParent);
    expect(fresh.response?.ts).not.toBe(parent.response?.ts);
    expect(callsSince(later, isReply)).toEqual([]);
    clock.set(START);
  });

  it('keeps cases of different certificates apart', async () => {
    const other = await buy('other cert');
    const from = since();
    await failValidation(other, 'Organisation could not be verified');
    const otherParent = await next(from, isParent);
    expect(JSON.parse(buttons(otherParent)[0]?.value as string)).toEqual({ c: other });
    expect(callsSince(from, isReply)).toEqual([]);
  });

  it('tells a zh-CN requester in Chinese; the support channel stays English', async () => {
    const cert = await buy('zh cert');
    const from = since();
    const reason = 'Domain verification email not answered';
    await failValidation(cert, reason, ZHANG);
    const dm = await supportDm(from, ZHANG);
    expect(dm.params.text).toBe(
      zh('support.dm.validation_failed', { name: 'zh cert', id: cert, reason, support: SUPPORT }),
    );
    const zhParent = await next(from, isParent);
    expect(blocksOf(zhParent)[0]).toMatchObject({
      text: { text: en('support.case.title', { name: 'zh cert' }) },
    });
  });

  describe('escalate(), for other callers such as SLA jobs', () => {
    let client: SlackClient;
    let deps: SlackDeps;
    beforeAll(() => {
      client = new webApi.WebClient('xoxb-test-token', {
        slackApiUrl: bot.slack.url,
        retryConfig: { retries: 0 },
      }) as SlackClient;
      deps = {
        useCases: bot.certops.useCases,
        settings: { approvalChannel: APPROVAL_CHANNEL, supportChannel: SUPPORT_CHANNEL },
        kv: new RedisKeyValueStore(bot.redis.redis, bot.config.redis.keyPrefix),
        logger: createLogger({ write: () => undefined }),
        localeOf: async (user) => (user === ZHANG ? 'zh-CN' : 'en'),
      };
    });

    it('opens exactly one case when several escalations for a certificate race', async () => {
      const cert = await buy('raced cert');
      const from = since();
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          escalate(client, deps, {
            certificateId: cert,
            summaryKey: 'support.summary.ca_submission_failed',
            params: { app: `a-race-${i}`, error: 'CA API timed out' },
          }),
        ),
      );
      const parents = callsSince(from, isParent);
      expect(parents).toHaveLength(1);
      const parentTs = parents[0]?.response?.ts;
      expect(results.filter((r) => r?.newCase)).toHaveLength(1);
      expect(results.every((r) => r?.threadTs === parentTs)).toBe(true);
      const replies = callsSince(from, isReply);
      expect(replies).toHaveLength(5);
      for (const r of replies) expect(r.params.thread_ts).toBe(parentTs);
    });

    it('escalates a cause once (onceKey), and tells the person named in their language', async () => {
      const cert = await buy('once cert');
      const from = since();
      const escalation = {
        certificateId: cert,
        summaryKey: 'support.summary.ca_submission_failed',
        params: { app: 'a-once', error: 'quota exceeded' },
        notify: {
          userId: ZHANG,
          key: 'support.dm.ca_submission_failed',
          params: { name: 'once cert', id: cert, error: 'quota exceeded' },
        },
        onceKey: `sla-breach:a-once`,
      } as const;
      expect(await escalate(client, deps, escalation)).toMatchObject({ newCase: true });
      expect(await escalate(client, deps, escalation)).toBeUndefined();
      expect(callsSince(from, (c) => c.params.channel === SUPPORT_CHANNEL)).toHaveLength(1);
      const dms = callsSince(from, (c) => c.params.channel === ZHANG);
      expect(dms.map((c) => c.params.text)).toEqual([
        zh('support.dm.ca_submission_failed', {
          name: 'once cert',
          id: cert,
          error: 'quota exceeded',
          support: SUPPORT,
        }),
      ]);
    });

    it('lets a retry post again when Slack refused the first attempt', async () => {
      const cert = await buy('retry cert');
      const escalation = {
        certificateId: cert,
        summaryKey: 'support.summary.ca_submission_failed',
        params: { app: 'a-retry', error: 'CA down' },
        onceKey: 'sla-breach:a-retry',
      } as const;
      bot.slack.failNext('chat.postMessage', {
        status: 200,
        body: { ok: false, error: 'fatal_error' },
      });
      await expect(escalate(client, deps, escalation)).rejects.toThrow();
      const from = since();
      expect(await escalate(client, deps, escalation)).toMatchObject({ newCase: true });
      expect(callsSince(from, isParent)).toHaveLength(1);
    });
  });
});
