import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/domain/certificate.js';
import { fixedClock } from '../../src/domain/clock.js';
import { renewalWindowStart } from '../../src/domain/renewal.js';
import { naturalDaysBetween } from '../../src/domain/zoned-time.js';
import { messageFits } from '../../src/slack/blocks.js';
import { translator } from '../../src/slack/i18n/index.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { recordIssued } from '../../src/usecases/record-ca-outcome.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import { type BotUnderTest, startBot } from '../support/certops-under-test.js';
import { dayjs } from '../support/dayjs-reference.js';
import { SlackDriver } from '../support/slack-driver.js';

const en = translator('en');
const zh = translator('zh-CN');
const TZ = 'Asia/Shanghai';
const ALICE = 'UALICE';
const BOB = 'UBOB';
const ZHANG = 'UZHANG'; // reads Chinese
const CAROL = 'UCAROL'; // team pay
const APPROVER = 'UAPPROVER1';
const APPROVER2 = 'UAPPROVER2';
const NEXT = 'queries.page.next';
const PREV = 'queries.page.prev';

type Json = Record<string, unknown>;

function pem(name: string): string {
  return readFileSync(new URL(`../fixtures/issued/${name}`, import.meta.url), 'utf8');
}

function at(instant: number, format = 'YYYY-MM-DD HH:mm'): string {
  return dayjs(instant).tz(TZ).format(format);
}

function blocksOf(call: RecordedCall): Json[] {
  return (call.params.blocks as Json[] | undefined) ?? [];
}

/** The ids listed in a list reply, in order (rows show them as `id`). */
function listedIds(call: RecordedCall, ids: readonly string[]): string[] {
  const text = SlackDriver.text(call);
  return ids.filter((id) => text.includes(`\`${id}\``));
}

function expectWithinMessageLimits(call: RecordedCall): void {
  const blocks = blocksOf(call);
  expect(blocks.length).toBeLessThanOrEqual(50);
  expect(messageFits(blocks as never, String(call.params.text ?? ''))).toBe(true);
}

async function buy(
  bot: BotUnderTest,
  quantity: number,
  overrides: Json = {},
  team = 'default',
): Promise<string[]> {
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
      team,
      ...overrides,
    } as never,
  ]);
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return [...result.value.certificateIds];
}

function must<T>(result: { ok: true; value: T } | { ok: false; refusal: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return result.value;
}

describe('/cert list, status and contacts', () => {
  const clock = fixedClock(new Date('2126-06-04T10:00:00+08:00'));
  let bot: BotUnderTest;
  let driver: SlackDriver;
  let underReview: string; // applied by Alice, approved, with the CA (OV: SLA running)
  let underReviewApp: string;
  let hosted: string; // applied by Alice with hosting, issued
  let rejected: string; // applied by Alice, rejected with a reason
  let uploaded: string; // uploaded by Bob
  let bulk: string[];
  let carols: string;
  let all: string[];
  let versions: number[];

  beforeAll(async () => {
    bot = await startBot({ clock, env: { CERTOPS_TEAMS: 'pay=UCAROL' } });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(ZHANG, 'zh-CN');
    const ctx = bot.certops.useCases;
    must(
      await recordPurchases(ctx, APPROVER, [
        { kind: 'hosting_credits', team: 'default', count: 2 },
      ]),
    );
    [underReview = '', hosted = '', rejected = ''] = await buy(bot, 3, { name: 'Shop OV' });
    bulk = await buy(bot, 40, { name: 'Bulk DV', validationType: 'DV' });
    [carols = ''] = await buy(bot, 1, { name: 'Pay OV' }, 'pay');

    const applied = must(
      await applyForCertificate(ctx, {
        certificateId: underReview,
        requesterId: ALICE,
        domains: ['shop.example.com', 'www.shop.example.com'],
        validationMethod: 'dns',
        contact: {
          kind: 'new',
          fields: {
            name: 'Li Lei <!channel>',
            email: 'li.lei@example.com',
            phone: '+8613800000000',
          },
        },
        hosting: false,
      }),
    );
    underReviewApp = applied.application.id;
    const contactId = applied.application.contactId ?? '';
    must(
      await decideApplication(ctx, {
        applicationId: underReviewApp,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    );

    const hostedApp = must(
      await applyForCertificate(ctx, {
        certificateId: hosted,
        requesterId: ALICE,
        domains: ['api.example.com'],
        validationMethod: 'dns',
        contact: { kind: 'existing', contactId },
        hosting: true,
      }),
    ).application.id;
    must(
      await decideApplication(ctx, {
        applicationId: hostedApp,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    );
    must(
      await recordIssued(ctx, {
        applicationId: hostedApp,
        actor: APPROVER2,
        pem: pem('wildcard-ov-2126.pem'),
      }),
    );

    const rejectedApp = must(
      await applyForCertificate(ctx, {
        certificateId: rejected,
        requesterId: ALICE,
        domains: ['old.example.com'],
        validationMethod: 'file',
        contact: { kind: 'existing', contactId },
        hosting: false,
      }),
    ).application.id;
    must(
      await decideApplication(ctx, {
        applicationId: rejectedApp,
        deciderId: APPROVER2,
        decision: 'reject',
        reason: '<!channel> use the *wildcard* instance',
      }),
    );

    uploaded = must(await uploadCertificate(ctx, { pem: pem('shop-ov-2126.pem'), uploaderId: BOB }))
      .certificate.id;
    // The team's certificates: these, plus the linked renewal the hosted one got on issue.
    all = await ctx.store.certificates.idsOfTeam('default');
    expect(all).toEqual(expect.arrayContaining([underReview, hosted, rejected, uploaded, ...bulk]));
    versions = await versionsOf(all);
  });

  afterAll(async () => {
    await bot?.stop();
  });

  async function list(user: string, text: string): Promise<RecordedCall> {
    const sent = await driver.command(user, text);
    expect(sent.status).toBe(200);
    return driver.reply(sent.responseUrl);
  }

  /** Clicks a paging button and returns what replaced the message. */
  async function page(reply: RecordedCall, actionId: string, user: string): Promise<RecordedCall> {
    const since = bot.slack.calls.length;
    const ack = await driver.click(reply, actionId, user);
    expect(ack.status).toBe(200);
    return bot.slack.waitFor(
      (c) => c.method.startsWith('response_url:action') && bot.slack.calls.indexOf(c) >= since,
    );
  }

  async function versionsOf(ids: readonly string[]): Promise<number[]> {
    const certs = await bot.certops.useCases.store.certificates.getMany(ids);
    return certs.map((c) => c.version);
  }

  const pages = (count: number) => Math.ceil(count / 15);

  async function certificate(id: string): Promise<Certificate> {
    const cert = await bot.certops.useCases.store.certificates.get(id);
    if (!cert) throw new Error(`no ${id}`);
    return cert;
  }

  it('lists what I own or requested by default (mine), with state, spec, domains and expiry', async () => {
    const reply = await list(ALICE, 'list');
    expect(reply.params.response_type).toBe('ephemeral');
    const text = SlackDriver.text(reply);
    expect(text).toContain(en('queries.list.title.mine'));
    expect(listedIds(reply, all).sort()).toEqual([underReview, hosted, rejected].sort());
    expect(text).toContain(en('state.under_review'));
    expect(text).toContain(en('state.hosted'));
    expect(text).toContain(en('state.pending_application'));
    expect(text).toContain('DigiCert OV · Multiple domains · standard');
    expect(text).toContain('shop.example.com, www.shop.example.com');
    const issued = await certificate(hosted);
    const notAfter = issued.notAfter ?? 0;
    expect(text).toContain(
      en('queries.row.expires', {
        date: at(notAfter, 'YYYY-MM-DD'),
        days: naturalDaysBetween(clock.now(), notAfter, TZ),
      }),
    );
    expectWithinMessageLimits(reply);
  });

  it('lists the team in Chinese for a Chinese reader, grouped, on pages', async () => {
    const reply = await list(ZHANG, 'list team');
    const text = SlackDriver.text(reply);
    expect(text).toContain(zh('queries.list.title.team', { team: 'default' }));
    expect(text).toContain(
      zh('queries.list.summary', {
        count: all.length,
        page: 1,
        pages: pages(all.length),
        timeZone: TZ,
      }),
    );
    expect(text).toContain(zh('queries.list.group.in_progress'));
    // Reviews come before untouched instances.
    expect(text.indexOf(zh('state.under_review'))).toBeLessThan(
      text.indexOf(zh('state.pending_application')),
    );
    expect(text).toContain(zh('spec.domainType.multi'));
    expect(text).toContain(zh('queries.row.noDomains'));
    expect(text).not.toContain(carols);
    expect(JSON.stringify(blocksOf(reply))).toContain(zh('queries.list.next'));
  });

  it('pages with Next and Previous, replacing the ephemeral message, covering every row once', async () => {
    expect(pages(all.length)).toBe(3);
    const first = await list(ALICE, 'list team');
    expect(SlackDriver.text(first)).not.toContain(PREV);
    const second = await page(first, NEXT, ALICE);
    expect(second.params.replace_original).toBe(true);
    expect(SlackDriver.text(second)).toContain(
      en('queries.list.summary', {
        count: all.length,
        page: 2,
        pages: pages(all.length),
        timeZone: TZ,
      }),
    );
    const third = await page(second, NEXT, ALICE);
    expect(SlackDriver.text(third)).toContain(
      en('queries.list.summary', { count: all.length, page: 3, pages: 3, timeZone: TZ }),
    );
    expect(JSON.stringify(blocksOf(third))).not.toContain(NEXT);
    // Live certificates come after the ones not issued yet, under their own heading.
    const last = SlackDriver.text(third);
    expect(last).toContain(en('queries.list.group.valid'));
    expect(last).toContain(en('state.hosted'));
    expect(last).toContain(en('state.uploaded'));
    const seen = [first, second, third].flatMap((reply) => listedIds(reply, all));
    expect(seen.sort()).toEqual([...all].sort());
    for (const reply of [first, second, third]) expectWithinMessageLimits(reply);

    const back = await page(third, PREV, ALICE);
    expect(listedIds(back, all)).toEqual(listedIds(second, all));
  });

  it('treats a page button value as untrusted: a forged scope is checked, garbage is refused', async () => {
    const first = await list(ALICE, 'list team');
    const forge = (value: string): RecordedCall => ({
      ...first,
      params: {
        ...first.params,
        blocks: blocksOf(first).map((block) =>
          block.type === 'actions'
            ? {
                ...block,
                elements: (block.elements as Json[]).map((e) => ({ ...e, value })),
              }
            : block,
        ),
      },
    });
    const forged = await page(forge(JSON.stringify({ s: 'all', p: 0 })), NEXT, ALICE);
    expect(forged.params.text).toBe(en('refusal.list.all_not_allowed'));
    const garbage = await page(forge('{"s":"mine","p":"DROP"}'), NEXT, ALICE);
    expect(garbage.params.text).toBe(en('queries.list.stale'));
    expect(garbage.params.replace_original).toBe(false);
    const huge = await page(forge(JSON.stringify({ s: 'team', p: 9999 })), NEXT, ALICE);
    expect(SlackDriver.text(huge)).toContain(
      en('queries.list.summary', { count: all.length, page: 3, pages: 3, timeZone: TZ }),
    );
  });

  it('refuses `all` to a normal user and shows everything to an approver', async () => {
    const refused = await list(ALICE, 'list all');
    expect(refused.params.text).toBe(en('refusal.list.all_not_allowed'));
    expect(refused.params.blocks).toBeUndefined();
    const allowed = await list(APPROVER, 'list all');
    const text = SlackDriver.text(allowed);
    expect(text).toContain(en('queries.list.title.all'));
    expect(text).toContain(
      en('queries.list.summary', {
        count: all.length + 1,
        page: 1,
        pages: pages(all.length + 1),
        timeZone: TZ,
      }),
    );
  });

  it('answers an unknown scope, or extra words, with the usage', async () => {
    expect((await list(ALICE, 'list everything')).params.text).toBe(en('queries.list.usage'));
    expect((await list(ALICE, 'list team please')).params.text).toBe(en('queries.list.usage'));
    expect((await list(ZHANG, 'list 全部')).params.text).toBe(zh('queries.list.usage'));
  });

  it('says so when a list is empty', async () => {
    const reply = await list(CAROL, 'list expiring');
    expect(SlackDriver.text(reply)).toContain(en('queries.list.empty.expiring'));
    const mine = await list(CAROL, 'list');
    expect(SlackDriver.text(mine)).toContain(en('queries.list.empty.mine'));
  });

  it('shows the status of a certificate under review: contact, request, next SLA point, history', async () => {
    const reply = await list(ALICE, `status ${underReview}`);
    expectWithinMessageLimits(reply);
    const text = SlackDriver.text(reply);
    expect(text).toContain(en('state.under_review'));
    expect(text).toContain(en('queries.status.quota', { used: 2, quota: 5 }));
    expect(text).toContain('Li Lei &lt;!channel&gt;');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('li.lei@example.com');
    expect(text).toContain('+8613800000000');
    expect(text).toContain(en('queries.status.hosting.off'));
    expect(text).toContain(underReviewApp);
    expect(text).toContain(en('application.status.submitted'));

    const app = await bot.certops.useCases.store.applications.get(underReviewApp);
    const sla = app?.sla;
    if (!sla) throw new Error('an OV submission has an SLA');
    expect(text).toContain(en('queries.status.next.sla_reminder', { date: at(sla.remindAt) }));
    // 2126 has no holiday data: the SLA is an estimate and says so.
    expect(sla.estimated).toBe(true);
    expect(text).toContain(en('common.estimated'));

    expect(text).toContain(en('queries.status.history'));
    expect(text).toContain(en('queries.action.purchase'));
    expect(text).toContain(en('queries.action.apply'));
    expect(text).toContain(en('queries.action.submit'));
    expect(text).toContain(`${en('state.pending_application')} → ${en('state.under_review')}`);
    expect(text).toContain(`<@${ALICE}>`);
    // Newest first: the submission is listed before the purchase.
    expect(text.indexOf(en('queries.action.submit'))).toBeLessThan(
      text.indexOf(en('queries.action.purchase')),
    );
  });

  it('shows the status of a hosted certificate in Chinese: linked renewal and expiry window', async () => {
    const reply = await list(ZHANG, `status ${hosted}`);
    const text = SlackDriver.text(reply);
    const cert = await certificate(hosted);
    expect(cert.renewalId).toBeDefined();
    expect(text).toContain(zh('state.hosted'));
    expect(text).toContain(
      zh('queries.status.hosting.renewal', {
        id: cert.renewalId ?? '',
        state: zh('state.not_activated'),
      }),
    );
    expect(text).toContain(
      zh('queries.status.next.expiry_hosted', {
        date: at(renewalWindowStart(cert.notAfter ?? 0, TZ)),
      }),
    );
    expect(text).toContain(zh('queries.action.issue'));
    expect(text).toContain(`${zh('state.under_review')} → ${zh('state.issued')}`);
    expect(text).toContain(zh('application.kind.apply'));
    expect(text).toContain(zh('queries.status.requestHosting'));
  });

  it('shows a rejection and its reason, escaped', async () => {
    const reply = await list(ALICE, `status ${rejected}`);
    const text = SlackDriver.text(reply);
    expect(text).toContain(en('application.status.rejected'));
    expect(text).toContain(en('queries.action.reject'));
    expect(text).toContain('&lt;!channel&gt; use the *wildcard* instance');
    expect(text).not.toContain('<!channel>');
    expect(text).toContain(en('state.pending_application'));
  });

  it('answers a missing id with the usage, an unknown one and another team’s with the refusal', async () => {
    expect((await list(ALICE, 'status')).params.text).toBe(en('queries.status.usage'));
    expect((await list(ALICE, 'status cnope')).params.text).toBe(
      en('refusal.certificate.not_found', { id: 'cnope' }),
    );
    expect((await list(ZHANG, 'status cnope')).params.text).toBe(
      zh('refusal.certificate.not_found', { id: 'cnope' }),
    );
    expect((await list(ALICE, `status ${carols}`)).params.text).toBe(
      en('refusal.certificate.other_team', { id: carols, team: 'pay' }),
    );
    expect((await list(ALICE, 'status <!channel>')).params.text).toBe(
      en('refusal.certificate.not_found', { id: '&lt;!channel&gt;' }),
    );
  });

  it('lists the team’s contacts, and explains how contacts are made when there are none', async () => {
    const reply = await list(BOB, 'contacts');
    const text = SlackDriver.text(reply);
    expect(text).toContain(en('queries.contacts.title', { team: 'default' }));
    expect(text).toContain('Li Lei &lt;!channel&gt;');
    expect(text).toContain('li.lei@example.com');
    expect(text).toContain('+8613800000000');
    const none = await list(CAROL, 'contacts');
    expect(SlackDriver.text(none)).toContain(en('queries.contacts.none'));
  });

  it('answers an unknown subcommand, and /cert alone, with help', async () => {
    expect((await list(ALICE, 'frobnicate')).params.text).toBe(
      en('command.unknown', { sub: 'frobnicate' }),
    );
    const help = await list(ALICE, '');
    expect(String(help.params.text)).toContain(en('help.title'));
    expect(String(help.params.text)).toContain('/cert list');
  });

  it('changed nothing while answering', async () => {
    expect(await versionsOf(all)).toEqual(versions);
    expect((await certificate(underReview)).state).toBe('under_review');
  });
});

describe('Block Kit limits with 300 certificates', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;
  let ids: string[];

  beforeAll(async () => {
    bot = await startBot({ clock: fixedClock(new Date('2126-06-04T10:00:00+08:00')) });
    driver = new SlackDriver(bot);
    ids = [
      ...(await buy(bot, 100, { name: 'A'.repeat(64) })),
      ...(await buy(bot, 100, { name: 'B'.repeat(64) })),
      ...(await buy(bot, 100, { name: 'C'.repeat(64) })),
    ];
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it('keeps every list page under 50 blocks and the size budget, and pages through all 300', async () => {
    for (const [user, text] of [
      [ALICE, 'list team'],
      [APPROVER, 'list all'],
    ] as const) {
      const sent = await driver.command(user, text);
      let reply = await driver.reply(sent.responseUrl);
      const seen = new Set<string>();
      for (let n = 0; n < 25; n++) {
        expectWithinMessageLimits(reply);
        for (const id of listedIds(reply, ids)) seen.add(id);
        if (!JSON.stringify(blocksOf(reply)).includes(NEXT)) break;
        const since = bot.slack.calls.length;
        await driver.click(reply, NEXT, user);
        reply = await bot.slack.waitFor(
          (c) => c.method.startsWith('response_url:action') && bot.slack.calls.indexOf(c) >= since,
        );
      }
      expect(seen.size).toBe(300);
    }
  });
});
