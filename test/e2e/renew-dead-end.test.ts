import { readFileSync } from 'node:fs';
import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { DEFAULT_REMINDER_DAYS } from '../../src/domain/expiry-ladder.js';
import type { Refusal } from '../../src/domain/result.js';
import { createLogger } from '../../src/infra/logger.js';
import { BullmqDispatcher } from '../../src/jobs/bullmq-dispatcher.js';
import { type DeliveryWorkers, startDeliveryWorkers } from '../../src/jobs/delivery-worker.js';
import type { QueueSettings } from '../../src/jobs/queues.js';
import { slackDelivery } from '../../src/slack/delivery.js';
import type { SlackDeps } from '../../src/slack/deps.js';
import { APPROVALS_IDS } from '../../src/slack/features/approvals/views.js';
import { RENEW } from '../../src/slack/features/renew/views.js';
import { SUPPORT_IDS } from '../../src/slack/features/support/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { createLocaleResolver } from '../../src/slack/locale.js';
import { formatDateTime } from '../../src/slack/views/format.js';
import { RedisKeyValueStore } from '../../src/store/redis-kv.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { runExpiryCheck } from '../../src/usecases/expiry-check.js';
import { CaError, type CaRegistry } from '../../src/usecases/ports/index.js';
import { requestRenewal } from '../../src/usecases/request-renewal.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import {
  APPROVAL_CHANNEL,
  type BotUnderTest,
  SUPPORT_CHANNEL,
  startBot,
} from '../support/certops-under-test.js';
import { SlackDriver } from '../support/slack-driver.js';

/**
 * Issue 13, "No dead ends", the whole way over signed HTTP: a hosted certificate whose managed
 * renewal the CA refuses on day 30 of the window falls back to what an unhosted one may do,
 * shows that it failed, is reminded again, and once a renewal purchase is approved, support's
 * case is closed in its thread. shop-ov-2126.pem expires 2127-03-01 08:00 in Asia/Shanghai.
 */

type Json = Record<string, unknown>;

const en = translator('en');
const TZ = 'Asia/Shanghai';
const ALICE = 'UALICE'; // team default
const APPROVER = 'UAPPROVER1';
const NO_LONGER_SOLD = 'InvalidProduct: this product is no longer sold';

/** A CA that takes no managed renewal any more: the product is no longer sold. */
const refusingCa: CaRegistry = {
  providerFor: () => ({
    name: 'refusing',
    outcomes: 'manual',
    submit: async () => {
      throw new CaError('refusing', NO_LONGER_SOLD, false);
    },
  }),
};

function must<T>(result: { ok: true; value: T } | { ok: false; refusal: Refusal }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return result.value;
}

/** Every text a person reads in a message or view: the fallback and all texts in its blocks. */
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
  walk((call.params.view as Json | undefined)?.blocks);
  return texts.join('\n');
}

const actionIds = (call: RecordedCall): string[] =>
  ((call.params.blocks as Json[] | undefined) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements as Json[]).map((e) => String(e.action_id)));

describe('a managed renewal the CA refuses is no dead end (issue 13)', () => {
  const clock = fixedClock(new Date('2126-06-04T10:00:00+08:00'));
  let bot: BotUnderTest;
  let driver: SlackDriver;
  let dispatcher: BullmqDispatcher;
  let workers: DeliveryWorkers;

  beforeAll(async () => {
    // The web role (Bolt); the delivery workers of the clocks' messages are started here, and
    // the expiry check is run by the test at the fake clock's dates.
    bot = await startBot({ clock, ca: refusingCa, env: { CERTOPS_ROLE: 'web' } });
    driver = new SlackDriver(bot);
    const settings: QueueSettings = {
      connection: { url: bot.config.redis.url },
      prefix: bot.config.queue.prefix,
    };
    dispatcher = new BullmqDispatcher(settings, bot.redis.redis);
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
  async function command(text: string): Promise<RecordedCall> {
    const sent = await driver.command(ALICE, text, { channelId: 'COPS' });
    expect(sent.status).toBe(200);
    return driver.reply(sent.responseUrl);
  }

  it('falls back, shows the failure, reminds again, and a renewal purchase closes support’s case', async () => {
    const ctx = bot.certops.useCases;
    const id = must(
      await uploadCertificate(ctx, {
        pem: readFileSync(new URL('../fixtures/issued/shop-ov-2126.pem', import.meta.url), 'utf8'),
        uploaderId: ALICE,
      }),
    ).certificate.id;
    const hosting = must(
      await requestRenewal(ctx, {
        certificateId: id,
        requesterId: ALICE,
        contact: {
          kind: 'new',
          fields: { name: 'Li Lei', email: 'li.lei@example.com', phone: '+8613800000000' },
        },
      }),
    );
    must(
      await decideApplication(ctx, {
        applicationId: hosting.application.id,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    );
    expect(await ctx.store.certificates.get(id)).toMatchObject({ hosted: true });

    // Day 30: the daily check activates the managed renewal; the CA refuses it for good.
    const day30 = new Date('2127-01-30T09:00:00+08:00');
    clock.set(day30);
    const fromCheck = since();
    expect(await runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS)).toMatchObject({ failures: 1 });
    const parent = await next(
      fromCheck,
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === SUPPORT_CHANNEL &&
        c.params.thread_ts === undefined &&
        readable(c).includes(`\`${id}\``),
    );
    expect(readable(parent)).toContain(
      en('clocks.summary.renewal_failed', { detail: NO_LONGER_SOLD }),
    );
    expect(actionIds(parent)).toEqual([SUPPORT_IDS.ack, SUPPORT_IDS.resolve]);
    const parentTs = String(parent.response?.ts);

    // /cert status says what failed, with the CA's words, and what to do now.
    const failure = en('queries.status.renewalFailure.refused', {
      date: formatDateTime(day30.getTime(), TZ),
      id,
      reason: NO_LONGER_SOLD,
    });
    expect(readable(await command(`status ${id}`))).toContain(failure);
    expect(readable(await command('list'))).toContain(en('queries.row.renewalFailure.refused'));

    // /cert renew offers the renewal purchase (no longer hosted).
    const renewAt = since();
    expect((await driver.command(ALICE, `renew ${id}`, { channelId: 'COPS' })).status).toBe(200);
    const modal = await driver.view(renewAt, 'views.open');
    expect((modal.view.submit as Json).text).toBe(en('renew.modal.submit_manual'));

    // The next day's check: the expiry ladder resumes (the reminder of its 30-day threshold).
    clock.set(new Date('2127-01-31T09:00:00+08:00'));
    const fromReminder = since();
    await runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS);
    const reminder = await next(
      fromReminder,
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === ALICE &&
        readable(c).includes(en('clocks.expiry.title', { daysLeft: 29 })),
    );
    expect(readable(reminder)).toContain(`\`${id}\``);

    // The renewal purchase is requested in the modal and approved by a click.
    const contact = (await ctx.store.contacts.listOfTeam('default'))[0];
    const fromRequest = since();
    const ack = await driver.submit(modal, ALICE, { [RENEW.contact]: contact?.id });
    expect(ack).toEqual({ status: 200, body: undefined });
    const applicationId = (await ctx.store.certificates.get(id))?.openApplicationId ?? '';
    expect(await ctx.store.applications.get(applicationId)).toMatchObject({
      kind: 'renewal_purchase',
    });
    const request = await next(
      fromRequest,
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === APPROVAL_CHANNEL &&
        JSON.stringify(c.params.blocks).includes(applicationId),
    );
    const fromApproval = since();
    expect((await driver.click(request, APPROVALS_IDS.approve, APPROVER)).status).toBe(200);

    // Support's case: the closing reply in its thread, then the parent resolved in place.
    const closing = await next(
      fromApproval,
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === SUPPORT_CHANNEL &&
        c.params.thread_ts === parentTs,
    );
    expect(closing.params.text).toBe(
      en('support.closed.renewal_purchase_approved', { by: `<@${APPROVER}>` }),
    );
    const resolved = await next(
      fromApproval,
      (c) => c.method === 'chat.update' && c.params.ts === parentTs,
    );
    expect(actionIds(resolved)).toEqual([]);
    expect(readable(resolved)).toContain(':white_check_mark: Resolved by certops');

    // And /cert status no longer shows the failure.
    const status = readable(await command(`status ${id}`));
    expect(status).not.toContain(failure);
    expect(status).not.toContain('Managed renewal failed');
    expect((await ctx.store.certificates.get(id))?.renewalFailure).toBeUndefined();
  });
});
