import { readFileSync } from 'node:fs';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import type { Refusal } from '../../src/domain/result.js';
import { createLogger } from '../../src/infra/logger.js';
import { BullmqDispatcher } from '../../src/jobs/bullmq-dispatcher.js';
import { type DeliveryWorkers, startDeliveryWorkers } from '../../src/jobs/delivery-worker.js';
import type { QueueSettings } from '../../src/jobs/queues.js';
import { slackDelivery } from '../../src/slack/delivery.js';
import type { SlackDeps } from '../../src/slack/deps.js';
import { CLOCKS_IDS } from '../../src/slack/features/clocks/views.js';
import { RENEW } from '../../src/slack/features/renew/views.js';
import { SUPPORT_IDS } from '../../src/slack/features/support/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { createLocaleResolver } from '../../src/slack/locale.js';
import { formatDate, formatDateTime } from '../../src/slack/views/format.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../src/usecases/context.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import type { OutboundMessage } from '../../src/usecases/ports/index.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { checkReview } from '../../src/usecases/review-clock.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
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
const ALICE = 'UALICE'; // team default
const ZHANG = 'UZHANG'; // team default, Slack in Simplified Chinese
const APPROVER = 'UAPPROVER1';
const SUPPORT = `<#${SUPPORT_CHANNEL}>`;

const pem = (name: string) =>
  readFileSync(new URL(`../fixtures/issued/${name}`, import.meta.url), 'utf8');

function must<T>(result: { ok: true; value: T } | { ok: false; refusal: Refusal }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return result.value;
}

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

describe('the clocks in Slack: reminders people read and act on', () => {
  const clock = fixedClock(START);
  let bot: BotUnderTest;
  let driver: SlackDriver;
  let dispatcher: BullmqDispatcher;
  let workers: DeliveryWorkers;
  let ctx: UseCaseContext;

  beforeAll(async () => {
    // The web role (Bolt, for the buttons); the delivery workers are started here.
    bot = await startBot({ clock, env: { CERTOPS_ROLE: 'web' } });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(ZHANG, 'zh-CN');
    const settings: QueueSettings = {
      connection: { url: bot.config.redis.url },
      prefix: bot.config.queue.prefix,
    };
    dispatcher = new BullmqDispatcher(settings, bot.redis.redis);
    ctx = { ...bot.certops.useCases, dispatcher };
    const kv = new RedisKeyValueStore(bot.redis.redis, bot.config.redis.keyPrefix);
    const logger = createLogger({ level: 'error' as never, write: () => undefined });
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
  });
  afterAll(async () => {
    await workers?.direct.close();
    await workers?.support.close();
    await dispatcher?.close();
    await bot?.stop();
  });

  const since = () => bot.slack.calls.length;
  const next = (from: number, match: (c: RecordedCall) => boolean) =>
    bot.slack.waitFor((c) => bot.slack.calls.indexOf(c) >= from && match(c));
  const dmTo = (from: number, user: string, containing: string) =>
    next(
      from,
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === user &&
        readable(c).includes(containing),
    );

  async function upload(file: string, user: string) {
    return must(await uploadCertificate(ctx, { pem: pem(file), uploaderId: user })).certificate;
  }

  /** The expiry reminder as the daily check dispatches it, and the DM it becomes. */
  async function expiryDm(user: string, certificateId: string, notAfter: number) {
    const from = since();
    const message: OutboundMessage = {
      kind: 'expiry_reminder',
      userId: user,
      certificateId,
      threshold: 30,
      daysLeft: 30,
      notAfter,
    };
    await dispatcher.dispatch(message, `expiry:${certificateId}:${notAfter}:30`);
    const t = user === ZHANG ? zh : en;
    return dmTo(from, user, t('clocks.expiry.renew'));
  }

  it('the expiry reminder’s Renew button opens the renew modal, as `/cert renew <id>` does', async () => {
    const cert = await upload('shop-ov-2126.pem', ALICE);
    const dm = await expiryDm(ALICE, cert.id, cert.notAfter ?? 0);
    expect(readable(dm)).toContain(
      en('clocks.expiry.text', {
        name: cert.name,
        id: cert.id,
        date: formatDate(cert.notAfter ?? 0, TZ),
        zone: TZ,
        daysLeft: 30,
      }),
    );

    const from = since();
    expect((await driver.click(dm, CLOCKS_IDS.renew, ALICE)).status).toBe(200);
    const modal = await driver.view(from);
    expect(modal.view.callback_id).toBe(RENEW.callback);
    expect((modal.view.title as Json).text).toBe(en('renew.modal.title'));
    expect(JSON.parse(String(modal.view.private_metadata))).toEqual({ c: cert.id, ch: ALICE });

    // The same modal as the slash command's (only the channel to answer in differs).
    const command = await driver.command(ALICE, `renew ${cert.id}`, { channelId: 'COPS' });
    const typed = await driver.view(command.since);
    expect(modal.view.blocks).toEqual(typed.view.blocks);
    expect(modal.view.submit).toEqual(typed.view.submit);

    // And it carries on as the renew flow: submitting requests the renewal.
    const ack = await driver.submit(modal, ALICE, {
      [RENEW.name]: 'Li Lei',
      [RENEW.email]: 'li.lei@example.com',
      [RENEW.phone]: '+8613800000000',
    });
    expect(ack).toEqual({ status: 200, body: undefined });
    const after = await ctx.store.certificates.get(cert.id);
    const app = await ctx.store.applications.get(after?.openApplicationId ?? '');
    expect(app).toMatchObject({ kind: 'enable_hosting', requesterId: ALICE });
  });

  it('in Chinese for a zh-CN user, and refuses a tampered button without opening anything', async () => {
    const cert = await upload('wildcard-ov-2126.pem', ZHANG);
    const dm = await expiryDm(ZHANG, cert.id, cert.notAfter ?? 0);
    expect(readable(dm)).toContain(zh('clocks.expiry.title', { daysLeft: 30 }));
    const from = since();
    await driver.click(dm, CLOCKS_IDS.renew, ZHANG);
    const modal = await driver.view(from);
    expect((modal.view.title as Json).text).toBe(zh('renew.modal.title'));

    const tampered = JSON.parse(
      JSON.stringify(dm).replace(/\\"c\\":\\"[^\\]*\\"/, '\\"c\\":\\"\\"'),
    ) as RecordedCall;
    const before = since();
    expect((await driver.click(tampered, CLOCKS_IDS.renew, ZHANG)).status).toBe(200);
    const reply = await next(before, (c) => c.method.startsWith('response_url:'));
    expect(reply.params).toMatchObject({
      response_type: 'ephemeral',
      text: zh('clocks.renew.invalid_button'),
    });
    expect(bot.slack.calls.slice(before).some((c) => c.method === 'views.open')).toBe(false);
  });

  it('the review clock reminds after 1 business day (once), then escalates the breach', async () => {
    const [alicesId = '', zhangsId = ''] = must(
      await recordPurchases(ctx, APPROVER, [
        {
          kind: 'instances',
          brand: 'GeoTrust',
          validationType: 'OV',
          domainType: 'single',
          grade: 'standard',
          validityYears: 1,
          domainQuota: 1,
          quantity: 2,
          team: 'default',
          name: 'api OV',
        },
      ]),
    ).certificateIds;
    const submit = async (certificateId: string, requesterId: string, n: number) => {
      const { application } = must(
        await applyForCertificate(ctx, {
          certificateId,
          requesterId,
          domains: [`api${n}.example.com`],
          validationMethod: 'email',
          contact: {
            kind: 'new',
            fields: { name: `Han ${n}`, email: `han${n}@example.com`, phone: `+86139000000${n}` },
          },
          hosting: false,
        }),
      );
      must(
        await decideApplication(ctx, {
          applicationId: application.id,
          deciderId: APPROVER,
          decision: 'approve',
        }),
      );
      const submitted = await ctx.store.applications.get(application.id);
      if (!submitted?.sla) throw new Error('no review SLA');
      return { ...submitted, sla: submitted.sla };
    };
    const alices = await submit(alicesId, ALICE, 1);
    const zhangs = await submit(zhangsId, ZHANG, 2);
    expect(alices.status).toBe('submitted');
    expect(await checkReview(ctx, alices.id)).toBe('not_due');
    await bot.certops.settle(); // the approval's own notifications (to the manual CA's channel)

    // One business day later, the clock reminds both requesters, each in their language.
    clock.set(new Date(alices.sla.remindAt + 60_000));
    const from = since();
    expect(await checkReview(ctx, alices.id)).toBe('sent');
    expect(await checkReview(ctx, zhangs.id)).toBe('sent');
    expect(await checkReview(ctx, alices.id)).toBe('already_sent');
    const forAlice = await dmTo(from, ALICE, en('clocks.sla.title'));
    const alicesText = readable(forAlice);
    expect(alicesText).toContain(
      en('clocks.sla.text', { name: 'api OV', id: alicesId, support: SUPPORT }),
    );
    expect(alicesText).toContain(
      en('clocks.sla.contact', {
        name: 'Han 1',
        email: 'han1@example.com',
        phone: '+861390000001',
      }),
    );
    // 2126 has no holiday data: the business days are an estimate, and the reminder says so.
    expect(alices.sla.estimated).toBe(true);
    expect(alicesText).toContain(
      `${en('clocks.sla.context', {
        app: alices.id,
        submitted: formatDateTime(alices.sla.submittedAt, TZ),
        expectedBy: formatDate(alices.sla.expectedBy, TZ),
      })} ${en('common.estimated')}`,
    );
    const forZhang = await dmTo(from, ZHANG, zh('clocks.sla.title'));
    expect(readable(forZhang)).toContain(
      zh('clocks.sla.text', { name: 'api OV', id: zhangsId, support: SUPPORT }),
    );

    // At the 7-business-day breach: a support case, and the requester hears where support is.
    clock.set(new Date(zhangs.sla.breachAt + 60_000));
    const breach = since();
    expect(await checkReview(ctx, zhangs.id)).toBe('sent');
    const parent = await next(
      breach,
      (c) => c.method === 'chat.postMessage' && c.params.channel === SUPPORT_CHANNEL,
    );
    expect(readable(parent)).toContain(
      en('clocks.summary.sla_breach_estimated', { app: zhangs.id }),
    );
    const buttons = (parent.params.blocks as Json[])
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements as Json[]);
    expect(buttons.map((b) => b.action_id)).toEqual([SUPPORT_IDS.ack, SUPPORT_IDS.resolve]);
    const told = await dmTo(
      breach,
      ZHANG,
      zh('clocks.requester.sla_breach_estimated', {
        app: zhangs.id,
        name: 'api OV',
        id: zhangsId,
        support: SUPPORT,
      }),
    );
    expect(told.params.channel).toBe(ZHANG);
    // Only the reminders and the breach went out: one DM each, one support post.
    const posts = bot.slack.calls.slice(from).filter((c) => c.method === 'chat.postMessage');
    expect(posts.filter((c) => c.params.channel === ALICE)).toHaveLength(1);
    expect(posts.filter((c) => c.params.channel === ZHANG)).toHaveLength(2);
    expect(posts.filter((c) => c.params.channel === SUPPORT_CHANNEL)).toHaveLength(1);
    clock.set(START);
  });
});
