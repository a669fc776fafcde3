import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { translator } from '../../src/slack/i18n/index.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import { APPROVAL_CHANNEL, type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { SlackDriver } from '../support/slack-driver.js';

const en = translator('en');
const zh = translator('zh-CN');
const ALICE = 'UALICE';
const BOB = 'UBOB';
const WANG = 'UWANG'; // reads Chinese
const APPROVER = 'UAPPROVER1';
const APPROVER2 = 'UAPPROVER2';

type Json = Record<string, unknown>;

function pem(name: string): string {
  return readFileSync(new URL(`../fixtures/issued/${name}`, import.meta.url), 'utf8');
}

function must<T>(result: { ok: true; value: T } | { ok: false; refusal: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return result.value;
}

async function buy(bot: BotUnderTest, quantity: number, name: string): Promise<string[]> {
  const result = await recordPurchases(bot.certops.useCases, APPROVER, [
    {
      kind: 'instances',
      brand: 'DigiCert',
      validationType: 'OV',
      domainType: 'multi',
      grade: 'standard',
      validityYears: 1,
      domainQuota: 5,
      quantity,
      team: 'default',
      name,
    },
  ]);
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return [...result.value.certificateIds];
}

function homeOpened(user: string, tab = 'home'): Json {
  return {
    type: 'app_home_opened',
    user,
    channel: `D${user}`,
    tab,
    event_ts: `${Date.now() / 1000}`,
  };
}

function viewBlocks(call: RecordedCall): Json[] {
  return ((call.params.view as Json).blocks as Json[]) ?? [];
}

let eventCounter = 0;
const eventId = () => `EvHOME${++eventCounter}${Date.now()}`;

describe('App Home', () => {
  const clock = fixedClock(new Date('2126-06-04T10:00:00+08:00'));
  let bot: BotUnderTest;
  let driver: SlackDriver;
  let expired: string;
  let expiring: string;
  let reviewed: string;
  let waitingApp: string;
  let waitingCert: string;

  beforeAll(async () => {
    bot = await startBot({ clock });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(WANG, 'zh-CN');
    const ctx = bot.certops.useCases;
    must(
      await recordPurchases(ctx, APPROVER, [
        { kind: 'hosting_credits', team: 'default', count: 3 },
      ]),
    );
    // Two uploaded certificates: one expires 2127-03-01, the other 2128-02-01.
    expired = must(
      await uploadCertificate(ctx, { pem: pem('shop-ov-2126.pem'), uploaderId: ALICE }),
    ).certificate.id;
    expiring = must(
      await uploadCertificate(ctx, { pem: pem('shop-ov-renewed-2127.pem'), uploaderId: BOB }),
    ).certificate.id;
    const [toReview = '', toWait = ''] = await buy(bot, 2, 'Shop OV');
    await buy(bot, 12, 'Bulk OV');
    reviewed = toReview;
    waitingCert = toWait;
    const contact = {
      kind: 'new' as const,
      fields: { name: 'Li Lei', email: 'li.lei@example.com', phone: '+8613800000000' },
    };
    const reviewApp = must(
      await applyForCertificate(ctx, {
        certificateId: toReview,
        requesterId: ALICE,
        domains: ['api.example.com'],
        validationMethod: 'dns',
        contact,
        hosting: true,
      }),
    ).application;
    must(
      await decideApplication(ctx, {
        applicationId: reviewApp.id,
        deciderId: APPROVER2,
        decision: 'approve',
      }),
    );
    // Awaiting approval: requested by an approver, so the other one decides.
    waitingApp = must(
      await applyForCertificate(ctx, {
        certificateId: toWait,
        requesterId: APPROVER,
        domains: ['pay.example.com', 'www.pay.example.com'],
        validationMethod: 'dns',
        contact: { kind: 'existing', contactId: reviewApp.contactId ?? '' },
        hosting: false,
      }),
    ).application.id;
    // 2128-01-10: the first upload has expired, the second expires within 30 days.
    clock.set(new Date('2128-01-10T09:00:00+08:00'));
  });

  afterAll(async () => {
    await bot?.stop();
  });

  async function open(user: string): Promise<RecordedCall> {
    const since = bot.slack.calls.length;
    expect(await driver.event(homeOpened(user), eventId())).toBe(200);
    const call = await driver.view(since, 'views.publish');
    expect(call.call.params.user_id).toBe(user);
    return call.call;
  }

  it('publishes a dashboard grouped by urgency, with the team’s hosting credits', async () => {
    const call = await open(ALICE);
    const view = call.params.view as Json;
    expect(view.type).toBe('home');
    const blocks = viewBlocks(call);
    expect(blocks.length).toBeLessThanOrEqual(100);
    const text = SlackDriver.text(call);
    expect(text).toContain(en('home.title', { team: 'default' }));
    expect(text).toContain(
      en('common.credits', { team: 'default', available: 2, purchased: 3, held: 1, spent: 0 }),
    );
    expect(text).toContain(en('home.group.expired', { count: 1 }));
    expect(text).toContain(en('home.group.expiring', { count: 1 }));
    expect(text).toContain(en('home.group.under_review', { count: 1 }));
    expect(text).toContain(en('home.group.pending', { count: 13 }));
    expect(text).toContain(en('home.group.more', { count: 13 - 8, scope: 'team' }));
    for (const id of [expired, expiring, reviewed, waitingCert]) expect(text).toContain(id);
    // Most urgent first.
    expect(text.indexOf(expired)).toBeLessThan(text.indexOf(expiring));
    expect(text.indexOf(expiring)).toBeLessThan(text.indexOf(reviewed));
    // Not an approver: no approvals section.
    expect(text).not.toContain(en('home.approvals.title', { count: 1 }));
  });

  it('speaks Chinese to a Chinese reader', async () => {
    const text = SlackDriver.text(await open(WANG));
    expect(text).toContain(zh('home.title', { team: 'default' }));
    expect(text).toContain(zh('home.group.expired', { count: 1 }));
    expect(text).toContain(zh('home.group.expiring', { count: 1 }));
    expect(text).toContain(zh('state.expired'));
    expect(text).toContain(zh('state.under_review'));
    expect(text).not.toContain(en('home.group.expired', { count: 1 }));
  });

  it('lists pending approvals for an approver, with ids, and marks their own request', async () => {
    const theirs = SlackDriver.text(await open(APPROVER));
    expect(theirs).toContain(en('home.approvals.title', { count: 1 }));
    expect(theirs).toContain(en('home.approvals.where', { channel: APPROVAL_CHANNEL }));
    expect(theirs).toContain(`\`${waitingApp}\``);
    expect(theirs).toContain(`\`${waitingCert}\``);
    expect(theirs).toContain('pay.example.com');
    expect(theirs).toContain(`<@${APPROVER}>`);
    expect(theirs).toContain(en('home.approvals.own'));

    const other = SlackDriver.text(await open(APPROVER2));
    expect(other).toContain(`\`${waitingApp}\``);
    expect(other).not.toContain(en('home.approvals.own'));
  });

  it('publishes once for an event Slack delivers again (x-slack-retry-num)', async () => {
    const since = bot.slack.calls.length;
    const id = eventId();
    expect(await driver.event(homeOpened(BOB), id)).toBe(200);
    await driver.view(since, 'views.publish');
    expect(
      await driver.event(homeOpened(BOB), id, {
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      }),
    ).toBe(200);
    // Another user's event, sent after the retry, is the barrier: once it is published the
    // retry has long been handled.
    await open(ALICE);
    const bobs = bot.slack
      .callsOf('views.publish')
      .filter((c) => bot.slack.calls.indexOf(c) >= since && c.params.user_id === BOB);
    expect(bobs).toHaveLength(1);
  });

  it('publishes nothing when the Messages tab is opened', async () => {
    const since = bot.slack.calls.length;
    expect(await driver.event(homeOpened(BOB, 'messages'), eventId())).toBe(200);
    await open(ALICE);
    const bobs = bot.slack
      .callsOf('views.publish')
      .filter((c) => bot.slack.calls.indexOf(c) >= since && c.params.user_id === BOB);
    expect(bobs).toHaveLength(0);
  });
});

describe('App Home with 300 certificates', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;

  beforeAll(async () => {
    bot = await startBot({ clock: fixedClock(new Date('2126-06-04T10:00:00+08:00')) });
    driver = new SlackDriver(bot);
    const ids = [
      ...(await buy(bot, 100, 'A'.repeat(64))),
      ...(await buy(bot, 100, 'B'.repeat(64))),
      ...(await buy(bot, 100, 'C'.repeat(64))),
    ];
    // Fifteen requests waiting for approval: more than the dashboard shows.
    for (const id of ids.slice(0, 15)) {
      must(
        await applyForCertificate(bot.certops.useCases, {
          certificateId: id,
          requesterId: ALICE,
          domains: ['a.example.com', 'b.example.com', 'c.example.com', 'd.example.com'],
          validationMethod: 'dns',
          contact: {
            kind: 'new',
            fields: {
              name: `Contact ${id}`,
              email: `${id}@example.com`,
              phone: `+86138${String(ids.indexOf(id)).padStart(8, '0')}`,
            },
          },
          hosting: false,
        }),
      );
    }
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it('stays within 100 blocks for a member and an approver, and says how many more', async () => {
    for (const user of [ALICE, APPROVER]) {
      const since = bot.slack.calls.length;
      await driver.event(homeOpened(user), eventId());
      const { call } = await driver.view(since, 'views.publish');
      const blocks = viewBlocks(call);
      expect(blocks.length).toBeLessThanOrEqual(100);
      expect(JSON.stringify(call.params.view).length).toBeLessThan(250_000);
      const text = SlackDriver.text(call);
      expect(text).toContain(en('home.group.pending', { count: 300 }));
      expect(text).toContain(en('home.group.more', { count: 300 - 8, scope: 'team' }));
      if (user === APPROVER) {
        expect(text).toContain(en('home.approvals.title', { count: 15 }));
        expect(text).toContain(en('home.approvals.more', { count: 5 }));
      }
    }
  });
});
