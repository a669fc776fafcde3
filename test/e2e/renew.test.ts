import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import type { Refusal } from '../../src/domain/result.js';
import { APPROVALS_IDS } from '../../src/slack/features/approvals/views.js';
import { CLOCKS_IDS } from '../../src/slack/features/clocks/views.js';
import { RENEW } from '../../src/slack/features/renew/views.js';
import { translator } from '../../src/slack/i18n/index.js';
import { domainTypeLabel, refusalText } from '../../src/slack/views/format.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../src/usecases/context.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { recordIssued } from '../../src/usecases/record-ca-outcome.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { requestRenewal } from '../../src/usecases/request-renewal.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import {
  APPROVAL_CHANNEL,
  type BotUnderTest,
  SUPPORT_CHANNEL,
  startBot,
} from '../support/certops-under-test.js';
import { type OpenedView, SlackDriver } from '../support/slack-driver.js';

type Json = Record<string, unknown>;

const en = translator('en');
const zh = translator('zh-CN');
const TZ = 'Asia/Shanghai';

const ALICE = 'UALICE'; // team default
const ZHANG = 'UZHANG'; // team default, Slack in Simplified Chinese
const WEB = 'UWEBDEV'; // team web
const APPROVER = 'UAPPROVER1';

const LI_LEI = { name: 'Li Lei', email: 'li.lei@example.com', phone: '+8613800000000' };

const issuedPem = (name: string) =>
  readFileSync(new URL(`../fixtures/issued/${name}`, import.meta.url), 'utf8');

function must<T>(result: { ok: true; value: T } | { ok: false; refusal: Refusal }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return result.value;
}

async function upload(ctx: UseCaseContext, pem: string, user = ALICE): Promise<string> {
  return must(await uploadCertificate(ctx, { pem: issuedPem(pem), uploaderId: user })).certificate
    .id;
}

/** Bought, applied for (with a new contact), approved, submitted and issued: the whole way. */
async function issue(ctx: UseCaseContext, pem: string, domains: string[]): Promise<string> {
  const [id = ''] = must(
    await recordPurchases(ctx, APPROVER, [
      {
        kind: 'instances',
        brand: 'DigiCert',
        validationType: 'OV',
        domainType: 'wildcard',
        grade: 'standard',
        validityYears: 1,
        domainQuota: 1,
        quantity: 1,
        team: 'default',
        name: 'wildcard OV',
      },
    ]),
  ).certificateIds;
  const { application } = must(
    await applyForCertificate(ctx, {
      certificateId: id,
      requesterId: ALICE,
      domains,
      validationMethod: 'dns',
      contact: { kind: 'new', fields: LI_LEI },
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
  must(
    await recordIssued(ctx, {
      applicationId: application.id,
      actor: APPROVER,
      pem: issuedPem(pem),
    }),
  );
  return id;
}

async function approveOpenRequest(ctx: UseCaseContext, certId: string): Promise<void> {
  const cert = await ctx.store.certificates.get(certId);
  if (!cert?.openApplicationId) throw new Error(`${certId} has no open request`);
  must(
    await decideApplication(ctx, {
      applicationId: cert.openApplicationId,
      deciderId: APPROVER,
      decision: 'approve',
    }),
  );
}

/** Test helpers bound to one bot. */
function helpers(bot: () => BotUnderTest, driver: () => SlackDriver) {
  return {
    async open(user: string, text: string): Promise<OpenedView> {
      const { status, since } = await driver().command(user, text, { channelId: 'COPS' });
      expect(status).toBe(200);
      return driver().view(since, 'views.open');
    },
    /** The ephemeral answer to a command, and that no modal was opened. */
    async answer(user: string, text: string): Promise<string> {
      const { responseUrl, since } = await driver().command(user, text);
      const reply = await driver().reply(responseUrl);
      expect(reply.params.response_type).toBe('ephemeral');
      expect(
        bot()
          .slack.calls.slice(since)
          .some((c) => c.method === 'views.open'),
      ).toBe(false);
      return String(reply.params.text);
    },
    async stored(certId: string) {
      const store = bot().certops.store;
      return {
        openApplicationId: (await store.certificates.get(certId))?.openApplicationId,
        applications: await store.applications.idsOfCertificate(certId),
        contacts: (await store.contacts.listOfTeam('default')).length,
      };
    },
  };
}

const texts = (view: OpenedView) => JSON.stringify(view.view.blocks);
const block = (view: OpenedView, id: string) =>
  (view.view.blocks as Json[]).find((b) => b.block_id === id);
const refused = (t: typeof en, id: string, refusal: Refusal) =>
  t('renew.refused', { id, reason: refusalText(t, refusal, { timeZone: TZ }) });

describe('/cert renew more than 30 days before expiry (enable hosting)', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;
  const ids: Record<string, string> = {};
  const h = helpers(
    () => bot,
    () => driver,
  );

  beforeAll(async () => {
    bot = await startBot({
      clock: fixedClock(new Date('2126-06-04T10:00:00+08:00')),
      env: { CERTOPS_TEAMS: `web=${WEB}` },
    });
    driver = new SlackDriver(bot);
    bot.slack.setLocale(ZHANG, 'zh-CN');
    const ctx = bot.certops.useCases;
    ids.wildcard = await issue(ctx, 'wildcard-ov-2126.pem', ['*.example.com']);
    ids.shop = await upload(ctx, 'shop-ov-2126.pem');
    ids.later = await upload(ctx, 'shop-ov-renewed-2127.pem');
    const bought = must(
      await recordPurchases(ctx, APPROVER, [
        {
          kind: 'instances',
          brand: 'GeoTrust',
          validationType: 'DV',
          domainType: 'single',
          grade: 'standard',
          validityYears: 1,
          domainQuota: 1,
          quantity: 1,
          team: 'default',
        },
      ]),
    );
    ids.pending = bought.certificateIds[0] ?? '';
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('shows the usage when no certificate is named', async () => {
    expect(await h.answer(ALICE, 'renew')).toBe(en('renew.usage'));
  });

  it('explains why there is nothing to renew: unknown, another team, not live', async () => {
    expect(await h.answer(ALICE, 'renew cnope0000')).toBe(
      refused(en, 'cnope0000', { code: 'certificate.not_found', params: { id: 'cnope0000' } }),
    );
    const shop = ids.shop ?? '';
    expect(await h.answer(WEB, `renew ${shop}`)).toBe(
      refused(en, shop, { code: 'certificate.other_team', params: { id: shop, team: 'default' } }),
    );
    const pending = ids.pending ?? '';
    const notLive = await h.answer(ALICE, `renew ${pending}`);
    expect(notLive).toBe(
      refused(en, pending, { code: 'renew.not_live', params: { state: 'pending_application' } }),
    );
    expect(notLive).toContain('Pending application');
  });

  it('offers a renewal of exactly the same spec, preselecting the certificate’s contact', async () => {
    const id = ids.wildcard ?? '';
    const cert = await bot.certops.store.certificates.get(id);
    const view = await h.open(ALICE, `renew ${id}`);
    expect(view.view.callback_id).toBe(RENEW.callback);
    expect((view.view.title as Json).text).toBe(en('renew.modal.title'));
    expect((view.view.submit as Json).text).toBe(en('renew.modal.submit_hosting'));
    expect(JSON.parse(String(view.view.private_metadata))).toEqual({ c: id, ch: 'COPS' });
    const shown = texts(view);
    expect(shown).toContain(en('renew.modal.spec_heading'));
    for (const field of [
      en('renew.field.brand', { value: 'DigiCert' }),
      en('renew.field.type', { value: 'OV' }),
      en('renew.field.domain_type', { value: domainTypeLabel(en, 'wildcard') }),
      en('renew.field.grade', { value: 'standard' }),
    ]) {
      expect(shown).toContain(JSON.stringify(field).slice(1, -1));
    }
    expect(shown).toContain(en('renew.modal.days_left', { daysLeft: 270, date: '2127-03-01' }));
    expect(shown).toContain(en('renew.modal.enable_hosting'));
    const select = block(view, RENEW.contact)?.element as Json;
    expect((select.initial_option as Json).value).toBe(cert?.contactId);
    expect(cert?.contactId).toBeTruthy();

    const before = await h.stored(id);
    const since = bot.slack.calls.length;
    const ack = await driver.submit(view, ALICE, {});
    expect(ack).toEqual({ status: 200, body: undefined });
    const told = await driver.ephemeral(since, ALICE, 'COPS');
    expect(told.method).toBe('chat.postEphemeral');
    expect(told.params.channel).toBe('COPS');
    const after = await h.stored(id);
    expect(after.applications).toHaveLength(before.applications.length + 1);
    expect(after.contacts).toBe(before.contacts);
    const app = await bot.certops.store.applications.get(after.openApplicationId ?? '');
    expect(app).toMatchObject({
      kind: 'enable_hosting',
      status: 'awaiting_approval',
      contactId: cert?.contactId,
      hosting: true,
    });
    expect(told.params.text).toBe(
      en('renew.requested_hosting', {
        name: 'wildcard OV',
        id,
        app: app?.id ?? '',
        contact: 'Li Lei &lt;li.lei@example.com&gt;',
      }),
    );
  });

  it('keeps contact mistakes on the contact inputs and changes nothing', async () => {
    const id = ids.shop ?? '';
    const view = await h.open(ALICE, `renew ${id}`);
    expect(
      (block(view, RENEW.contact)?.element as Json | undefined)?.initial_option,
    ).toBeUndefined();
    expect(block(view, RENEW.contact)).toBeDefined();
    const before = await h.stored(id);
    // Notifications of earlier changes (queued, due 250 ms later) must not count as this one's.
    await bot.certops.settle();
    const since = bot.slack.calls.length;

    const nothing = await driver.submit(view, ALICE, {});
    expect(nothing.body).toEqual({
      response_action: 'errors',
      errors: { [RENEW.contact]: en('renew.error.choose_contact') },
    });
    const invalid = await driver.submit(view, ALICE, {
      [RENEW.name]: 'Han Meimei',
      [RENEW.email]: 'han at example',
      [RENEW.phone]: '12',
    });
    expect(invalid.body).toEqual({
      response_action: 'errors',
      errors: {
        [RENEW.email]: en('renew.error.contact_email'),
        [RENEW.phone]: en('renew.error.contact_phone'),
      },
    });
    const missing = await driver.submit(view, ALICE, { [RENEW.email]: 'han@example.com' });
    expect(missing.body).toEqual({
      response_action: 'errors',
      errors: {
        [RENEW.name]: en('renew.error.contact_name'),
        [RENEW.phone]: en('renew.error.contact_phone'),
      },
    });
    const taken = await driver.submit(view, ALICE, {
      [RENEW.name]: 'Someone Else',
      [RENEW.email]: LI_LEI.email,
      [RENEW.phone]: '+8613911112222',
    });
    expect(taken.body).toEqual({
      response_action: 'errors',
      errors: { [RENEW.email]: en('renew.error.email_taken') },
    });
    expect(await h.stored(id)).toEqual(before);
    expect(bot.slack.calls.slice(since).filter((c) => c.method.startsWith('chat.'))).toEqual([]);

    // Fixed: a new contact is created with the request.
    const ok = await driver.submit(view, ALICE, {
      [RENEW.name]: 'Han Meimei',
      [RENEW.email]: 'Han@Example.com',
      [RENEW.phone]: '+86 139 0000 0001',
    });
    expect(ok.body).toBeUndefined();
    const told = await driver.ephemeral(since, ALICE, 'COPS');
    const after = await h.stored(id);
    expect(after.contacts).toBe(before.contacts + 1);
    const app = await bot.certops.store.applications.get(after.openApplicationId ?? '');
    const contact = await bot.certops.store.contacts.get(app?.contactId ?? '');
    expect(contact).toMatchObject({
      name: 'Han Meimei',
      email: 'han@example.com',
      phone: '+8613900000001',
    });
    expect(String(told.params.text)).toContain(app?.id ?? '?');
  });

  it('refuses a second renewal while one is under way', async () => {
    const id = ids.shop ?? '';
    const cert = await bot.certops.store.certificates.get(id);
    expect(await h.answer(ALICE, `renew ${id}`)).toBe(
      refused(en, id, {
        code: 'request.open',
        params: { id, applicationId: cert?.openApplicationId ?? '' },
      }),
    );
  });

  it('says a hosted certificate needs nothing once hosting is approved', async () => {
    const id = ids.wildcard ?? '';
    await approveOpenRequest(bot.certops.useCases, id);
    expect((await bot.certops.store.certificates.get(id))?.hosted).toBe(true);
    expect(await h.answer(ALICE, `renew ${id}`)).toBe(
      en('renew.already_hosted', {
        name: 'wildcard OV',
        id,
        daysLeft: 270,
        support: SUPPORT_CHANNEL,
      }),
    );
  });

  it('answers by DM when the form comes back unreadable, changing nothing', async () => {
    const id = ids.later ?? '';
    const view = await h.open(ALICE, `renew ${id}`);
    const before = await h.stored(id);
    const since = bot.slack.calls.length;
    const tampered = { ...view, view: { ...view.view, private_metadata: '{"c":""}' } };
    const ack = await driver.submit(tampered, ALICE, {});
    expect(ack.body).toBeUndefined();
    const told = await driver.dm(since, ALICE, en('renew.error.form'));
    expect(told.method).toBe('chat.postMessage');
    expect(await h.stored(id)).toEqual(before);
  });

  it('speaks Chinese to a zh-CN user', async () => {
    const id = ids.later ?? '';
    expect(await h.answer(ZHANG, 'renew')).toBe(zh('renew.usage'));
    const view = await h.open(ZHANG, `renew ${id}`);
    expect((view.view.title as Json).text).toBe(zh('renew.modal.title'));
    expect(texts(view)).toContain(zh('renew.modal.spec_heading'));
    expect(texts(view)).toContain(zh('renew.modal.enable_hosting'));
    const contacts = await bot.certops.store.contacts.listOfTeam('default');
    const li = contacts.find((c) => c.email === LI_LEI.email);
    const bad = await driver.submit(view, ZHANG, {});
    expect(bad.body).toEqual({
      response_action: 'errors',
      errors: { [RENEW.contact]: zh('renew.error.choose_contact') },
    });
    const since = bot.slack.calls.length;
    await driver.submit(view, ZHANG, { [RENEW.contact]: li?.id });
    const told = await driver.ephemeral(since, ZHANG, 'COPS');
    const app = (await h.stored(id)).openApplicationId ?? '';
    expect(told.params.text).toBe(
      zh('renew.requested_hosting', {
        name: 'shop.example.com',
        id,
        app,
        contact: 'Li Lei &lt;li.lei@example.com&gt;',
      }),
    );
    expect(String(told.params.text)).toContain('申请托管');
  });
});

describe('/cert renew across the 30-day window', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;
  const ids: Record<string, string> = {};
  const clock = fixedClock(new Date('2126-06-04T10:00:00+08:00'));
  const h = helpers(
    () => bot,
    () => driver,
  );

  beforeAll(async () => {
    bot = await startBot({ clock });
    driver = new SlackDriver(bot);
    const ctx = bot.certops.useCases;
    // Both expire 2127-03-01 08:00 in Shanghai; the wildcard one gets hosting now.
    ids.shop = await upload(ctx, 'shop-ov-2126.pem');
    ids.hosted = await upload(ctx, 'wildcard-ov-2126.pem');
    must(
      await requestRenewal(ctx, {
        certificateId: ids.hosted,
        requesterId: ALICE,
        contact: { kind: 'new', fields: LI_LEI },
      }),
    );
    await approveOpenRequest(ctx, ids.hosted);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('31 days before expiry: renewing still means enabling hosting', async () => {
    clock.set(new Date('2127-01-29T10:00:00+08:00'));
    const view = await h.open(ALICE, `renew ${ids.shop}`);
    expect((view.view.submit as Json).text).toBe(en('renew.modal.submit_hosting'));
    expect(texts(view)).toContain(en('renew.modal.enable_hosting'));
    expect(texts(view)).toContain(
      en('renew.modal.days_left', { daysLeft: 31, date: '2127-03-01' }),
    );
  });

  it('30 days before expiry: only the manual renewal purchase (续费购买) is left', async () => {
    clock.set(new Date('2127-01-30T10:00:00+08:00'));
    const id = ids.shop ?? '';
    const view = await h.open(ALICE, `renew ${id}`);
    expect((view.view.submit as Json).text).toBe(en('renew.modal.submit_manual'));
    expect(texts(view)).toContain(en('renew.modal.manual'));
    expect(texts(view)).not.toContain(en('renew.modal.enable_hosting'));
    expect(texts(view)).toContain(
      en('renew.modal.days_left', { daysLeft: 30, date: '2127-03-01' }),
    );
    const li = (await bot.certops.store.contacts.listOfTeam('default'))[0];
    const since = bot.slack.calls.length;
    const ack = await driver.submit(view, ALICE, { [RENEW.contact]: li?.id });
    expect(ack.body).toBeUndefined();
    const told = await driver.ephemeral(since, ALICE, 'COPS');
    const app = await bot.certops.store.applications.get(
      (await h.stored(id)).openApplicationId ?? '',
    );
    expect(app).toMatchObject({ kind: 'renewal_purchase', hosting: false, contactId: li?.id });
    expect(told.params.text).toBe(
      en('renew.requested_manual', {
        name: 'shop.example.com',
        id,
        app: app?.id ?? '',
        contact: 'Li Lei &lt;li.lei@example.com&gt;',
      }),
    );
  });

  it('a hosted certificate inside the window renews itself', async () => {
    clock.set(new Date('2127-02-10T10:00:00+08:00'));
    const id = ids.hosted ?? '';
    expect((await bot.certops.store.certificates.get(id))?.name).toBe('*.example.com');
    expect(await h.answer(ALICE, `renew ${id}`)).toBe(
      en('renew.renews_automatically', {
        name: '*.example.com',
        id,
        daysLeft: 19,
        support: SUPPORT_CHANNEL,
      }),
    );
  });

  it('an expired certificate cannot be renewed', async () => {
    clock.set(new Date('2127-03-02T10:00:00+08:00'));
    const id = ids.shop ?? '';
    expect(await h.answer(ALICE, `renew ${id}`)).toBe(
      refused(en, id, { code: 'renew.expired', params: { daysAgo: 1 } }),
    );
  });
});

describe('a renew request approved after the 30-day window began (issue 13)', () => {
  let bot: BotUnderTest;
  let driver: SlackDriver;
  const clock = fixedClock(new Date('2127-01-29T10:00:00+08:00'));

  beforeAll(async () => {
    bot = await startBot({ clock });
    driver = new SlackDriver(bot);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it('is not carried out: the approval says why in place, the requester gets Renew for what is left', async () => {
    const ctx = bot.certops.useCases;
    // Asked on day 31 (expires 2127-03-01 08:00 in Shanghai): managed renewal.
    const id = await upload(ctx, 'shop-ov-2126.pem');
    const { application } = must(
      await requestRenewal(ctx, {
        certificateId: id,
        requesterId: ALICE,
        contact: { kind: 'new', fields: LI_LEI },
      }),
    );
    expect(application.kind).toBe('enable_hosting');
    const request = await bot.slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === APPROVAL_CHANNEL &&
        JSON.stringify(c.params.blocks).includes(application.id),
    );

    // Approved at the first instant of day 30.
    clock.set(new Date('2127-01-30T00:00:00+08:00'));
    const since = bot.slack.calls.length;
    const click = await driver.click(request, APPROVALS_IDS.approve, APPROVER);
    expect(click.status).toBe(200);
    const reason = refusalText(
      en,
      { code: 'renew.window_began', params: { id, daysLeft: 30 } },
      { timeZone: TZ },
    );
    const updated = await bot.slack.waitFor(
      (c) => c.method === 'chat.update' && bot.slack.calls.indexOf(c) >= since,
    );
    expect(JSON.stringify(updated.params.blocks)).toContain(reason);
    expect(JSON.stringify(updated.params.blocks)).not.toContain(APPROVALS_IDS.approve);
    const dm = await driver.dm(since, ALICE, (text) => text.includes(reason));
    const stored = await bot.certops.store.certificates.get(id);
    expect(stored).toMatchObject({ hosted: false });
    expect(stored?.openApplicationId).toBeUndefined();
    expect((await bot.certops.store.applications.get(application.id))?.status).toBe('lapsed');

    // Renew in the DM offers what is possible now: the renewal purchase.
    const renewClick = bot.slack.calls.length;
    await driver.click(dm, CLOCKS_IDS.renew, ALICE);
    const view = await driver.view(renewClick, 'views.open');
    expect((view.view.submit as Json).text).toBe(en('renew.modal.submit_manual'));
  });

  it('/cert withdraw takes a request back; a later Approve finds it closed and updates the message', async () => {
    clock.set(new Date('2127-01-29T10:00:00+08:00'));
    const ctx = bot.certops.useCases;
    const id = await upload(ctx, 'wildcard-ov-2126.pem');
    const { application } = must(
      await requestRenewal(ctx, {
        certificateId: id,
        requesterId: ALICE,
        contact: {
          kind: 'new',
          fields: { ...LI_LEI, email: 'li.lei2@example.com', phone: '+8613800000002' },
        },
      }),
    );
    const request = await bot.slack.waitFor(
      (c) =>
        c.method === 'chat.postMessage' &&
        c.params.channel === APPROVAL_CHANNEL &&
        JSON.stringify(c.params.blocks).includes(application.id),
    );
    const { responseUrl } = await driver.command(ALICE, `withdraw ${application.id}`);
    const reply = await driver.reply(responseUrl);
    expect(reply.params).toMatchObject({
      response_type: 'ephemeral',
      text: en('withdraw.done', { id: application.id }),
    });
    expect((await bot.certops.store.applications.get(application.id))?.status).toBe('withdrawn');
    expect((await bot.certops.store.certificates.get(id))?.openApplicationId).toBeUndefined();

    const since = bot.slack.calls.length;
    await driver.click(request, APPROVALS_IDS.approve, APPROVER);
    const updated = await bot.slack.waitFor(
      (c) => c.method === 'chat.update' && bot.slack.calls.indexOf(c) >= since,
    );
    expect(JSON.stringify(updated.params.blocks)).toContain(en('approvals.decided.withdrawn'));
    expect(JSON.stringify(updated.params.blocks)).not.toContain(APPROVALS_IDS.approve);
  });
});
