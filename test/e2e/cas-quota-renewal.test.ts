import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { PURCHASE } from '../../src/slack/features/purchase/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { followCaOrder } from '../../src/usecases/follow-ca-order.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { requestRenewal } from '../../src/usecases/request-renewal.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import { type BotUnderTest, SUPPORT_CHANNEL, startBot } from '../support/certops-under-test.js';
import { FakeAlibabaCas } from '../support/fake-alibaba-cas.js';
import { SlackDriver } from '../support/slack-driver.js';
import { pem } from '../support/usecase-harness.js';

/**
 * The bot started with a route to Alibaba Cloud CAS (the loopback fake): `/cert purchase` and the
 * approvers' App Home show what is left of the CAS packages, after the ack and without ever
 * failing on a CAS error; an approved renewal purchase buys the renewal at CAS, once.
 */

type Json = Record<string, unknown>;
const en = translator('en');
const zh = translator('zh-CN');

const KEY_ID = 'LTAI5tFakeKeyId0e2e5';
const APPROVER = 'UAPPROVER1';
const APPROVER_ZH = 'UAPPROVER2';
const ADMIN = 'UADMIN1';
const ALICE = 'UALICE';
const PRODUCT = 'digicert-ov-multi-standard';

let fake: FakeAlibabaCas;
let bot: BotUnderTest;
let driver: SlackDriver;
const clock = fixedClock(new Date('2126-06-04T10:00:00+08:00'));

beforeAll(async () => {
  fake = await FakeAlibabaCas.start(KEY_ID);
  bot = await startBot({
    clock,
    env: {
      CERTOPS_ADMINS: ADMIN,
      CERTOPS_CA_ROUTES: 'DigiCert=alibaba-cas; *=manual',
      ALIBABA_CLOUD_ACCESS_KEY_ID: KEY_ID,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'FakeSecretValue0123456789abcdef',
      CERTOPS_ALIBABA_ENDPOINT: fake.endpoint,
      CERTOPS_ALIBABA_PRODUCT_CODES: `DigiCert/OV/multi/standard=${PRODUCT}; DigiCert/OV/single/Standard=${PRODUCT}`,
    },
  });
  driver = new SlackDriver(bot);
  bot.slack.setLocale(APPROVER_ZH, 'zh-CN');
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});
/** Each test reads CAS afresh: the quota kept in the key-value store goes. */
const forgetQuota = () => bot.redis.redis.del(`${bot.redis.prefix}:kv:cas-package-quota`);
beforeEach(async () => {
  fake.reset();
  await forgetQuota();
});
afterEach(async () => {
  await forgetQuota();
});

const quotaLine = (t = en, left = 7) =>
  t('purchase.quota.line', {
    code: PRODUCT,
    specs: 'digicert/OV/multi/standard, digicert/OV/single/standard',
    left,
    total: 10,
    used: 10 - left,
    issued: 2,
  });

/** Opens `/cert purchase` and resolves with the modal as opened and as updated with the quota. */
async function purchaseModal(user: string): Promise<{ opened: Json; updated: RecordedCall }> {
  const { status, since } = await driver.command(user, 'purchase', { channelId: 'CBUY' });
  expect(status).toBe(200);
  const opened = await driver.view(since, 'views.open');
  const updated = await driver.view(since, 'views.update');
  expect(updated.call.params.view_id).toBe(opened.id);
  return { opened: opened.view, updated: updated.call };
}

const blockIds = (view: Json) => (view.blocks as Json[]).map((b) => b.block_id);

describe('CAS package quota in Slack', () => {
  it('/cert purchase opens at once, then shows each configured package’s quota', async () => {
    fake.packages.set(PRODUCT, { total: 10, used: 3, issued: 2 });
    const { opened, updated } = await purchaseModal(APPROVER);
    // The modal does not wait for CAS.
    expect(blockIds(opened)).not.toContain(PURCHASE.quota);
    expect(blockIds(updated.params.view as Json)).toContain(PURCHASE.quota);
    const text = SlackDriver.text(updated);
    expect(text).toContain(JSON.stringify(en('purchase.quota.title')).slice(1, -1));
    expect(text).toContain(JSON.stringify(quotaLine()).slice(1, -1));
    expect(fake.callsOf('DescribePackageState').map((c) => c.params.ProductCode)).toEqual([
      PRODUCT,
    ]);
    // Kept briefly: the Chinese approver's modal reads no CAS again, in Chinese.
    const second = await purchaseModal(APPROVER_ZH);
    expect(SlackDriver.text(second.updated)).toContain(JSON.stringify(quotaLine(zh)).slice(1, -1));
    expect(fake.callsOf('DescribePackageState')).toHaveLength(1);
  });

  it('a CAS error becomes one short line; the modal still works', async () => {
    fake.failNext('DescribePackageState', {
      status: 404,
      code: 'InvalidAccessKeyId.NotFound',
      message: 'Specified access key is not found.',
    });
    const { updated } = await purchaseModal(ADMIN);
    const text = SlackDriver.text(updated);
    expect(text).toContain(
      'CAS package quota unavailable: Alibaba Cloud does not accept the AccessKey ID',
    );
    expect(text).not.toContain('FakeSecretValue');
    expect(blockIds(updated.params.view as Json)).toEqual(
      expect.arrayContaining([PURCHASE.kind, PURCHASE.brand, PURCHASE.quota]),
    );
  });

  it('a CAS that does not answer is given 2 s, not the command', async () => {
    fake.stallNext('DescribePackageState');
    const started = performance.now();
    const { status, since } = await driver.command(APPROVER, 'purchase', { channelId: 'CBUY' });
    expect(status).toBe(200);
    // Waiting for CAS would take its whole 2 s timeout: the boundary, not a guess at speed.
    const acked = performance.now() - started;
    expect(acked).toBeLessThan(2000);
    const updated = await driver.view(since, 'views.update');
    expect(SlackDriver.text(updated.call)).toContain(
      en('purchase.quota.unavailable', { reason: 'Alibaba Cloud CAS did not answer within 2 s' }),
    );
  });

  it('the App Home shows the quota to approvers and admins, not to others', async () => {
    fake.packages.set(PRODUCT, { total: 10, used: 3, issued: 2 });
    const home = async (user: string) => {
      const since = bot.slack.calls.length;
      const event = {
        type: 'app_home_opened',
        user,
        channel: `D${user}`,
        tab: 'home',
        event_ts: `${Date.now() / 1000}`,
      };
      expect(await driver.event(event, `EvCASQ${user}${Date.now()}`)).toBe(200);
      return (await driver.view(since, 'views.publish')).call;
    };
    expect(SlackDriver.text(await home(APPROVER))).toContain(
      JSON.stringify(quotaLine()).slice(1, -1),
    );
    expect(SlackDriver.text(await home(ADMIN))).toContain(JSON.stringify(quotaLine()).slice(1, -1));
    expect(SlackDriver.text(await home(ALICE))).not.toContain('digicert-ov-multi');
  });
});

describe('CAS renewal purchase through Slack', () => {
  it('Approve buys the renewal at CAS once, and the requester is told of the new instance', async () => {
    const ctx = bot.certops.useCases;
    clock.set(new Date('2126-06-04T10:00:00+08:00'));
    const bought = await recordPurchases(ctx, ADMIN, [
      {
        kind: 'instances',
        brand: 'DigiCert',
        validationType: 'OV',
        domainType: 'multi',
        grade: 'standard',
        validityYears: 1,
        domainQuota: 2,
        quantity: 1,
        team: 'default',
      },
    ]);
    const certId = bought.ok ? (bought.value.certificateIds[0] ?? '') : '';
    const applied = await applyForCertificate(ctx, {
      certificateId: certId,
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: {
        kind: 'new',
        fields: { name: 'Li Lei', email: 'li.e2e@example.com', phone: '+8613800000009' },
      },
      hosting: false,
    });
    const applyId = applied.ok ? applied.value.application.id : '';
    await decideApplication(ctx, {
      applicationId: applyId,
      deciderId: APPROVER,
      decision: 'approve',
    });
    const orderId = (await ctx.store.certificates.get(certId))?.caOrderId ?? '';
    fake.script(orderId, { Type: 'certificate', Certificate: pem('shop-ov-2126.pem') });
    expect(await followCaOrder(ctx, applyId, { verify: false })).toMatchObject({ ok: true });
    clock.set(new Date('2127-02-10T10:00:00+08:00'));
    const requested = await requestRenewal(ctx, {
      certificateId: certId,
      requesterId: ALICE,
      contact: {
        kind: 'existing',
        contactId: (await ctx.store.contacts.listOfTeam('default'))[0]?.id ?? '',
      },
    });
    const renewalAppId = requested.ok ? requested.value.application.id : '';
    expect(renewalAppId).not.toBe('');

    // The approval request in the channel; Approve clicked twice.
    const request = await bot.slack.waitFor(
      (c) => c.method === 'chat.postMessage' && JSON.stringify(c.params).includes(renewalAppId),
    );
    const since = bot.slack.calls.length;
    const clicks = await Promise.all([
      driver.click(request, 'approvals.approve', APPROVER),
      driver.click(request, 'approvals.approve', APPROVER),
    ]);
    for (const click of clicks) expect(click.status).toBe(200);
    const told = await bot.slack.waitFor(
      (c) =>
        bot.slack.calls.indexOf(c) >= since &&
        c.method === 'chat.postMessage' &&
        c.params.channel === ALICE &&
        String(c.params.text).includes(certId),
    );
    const renewal = (
      await ctx.store.certificates.getMany(
        await ctx.store.certificates.idsInState('pending_application'),
      )
    ).find((c) => c.renewalOf === certId);
    expect(renewal?.caOrderId).toBe('100002');
    expect(String(told.params.text)).toContain(renewal?.id ?? '?');
    expect(
      fake.callsOf('RenewCertificateOrderForPackageRequest').map((c) => c.params.OrderId),
    ).toEqual([orderId]);

    // Applying for the renewal submits on the renewed order, still pending application at CAS:
    // support is asked to take the console step the API cannot, and the requester is told.
    const renewalApplied = await applyForCertificate(ctx, {
      certificateId: renewal?.id ?? '',
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: {
        kind: 'existing',
        contactId: (await ctx.store.contacts.listOfTeam('default'))[0]?.id ?? '',
      },
      hosting: false,
    });
    const renewalApply = renewalApplied.ok ? renewalApplied.value.application.id : '';
    const beforeSubmit = bot.slack.calls.length;
    await decideApplication(ctx, {
      applicationId: renewalApply,
      deciderId: APPROVER,
      decision: 'approve',
    });
    const asked = await bot.slack.waitFor(
      (c) =>
        bot.slack.calls.indexOf(c) >= beforeSubmit &&
        c.method === 'chat.postMessage' &&
        c.params.channel === SUPPORT_CHANNEL &&
        JSON.stringify(c.params).includes(renewalApply),
    );
    expect(JSON.stringify(asked.params)).toContain('submit its application in the CAS console');
    await bot.slack.waitFor(
      (c) =>
        bot.slack.calls.indexOf(c) >= beforeSubmit &&
        c.method === 'chat.postMessage' &&
        c.params.channel === ALICE &&
        String(c.params.text).includes('needs one more step by support'),
    );
    expect(fake.callsOf('CreateCertificateForPackageRequest')).toHaveLength(1);
  });
});
