import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/domain/clock.js';
import { messageFits } from '../../src/slack/blocks.js';
import { APPROVALS_IDS, requestMessage } from '../../src/slack/features/approvals/views.js';
import { explain, translator } from '../../src/slack/i18n/index.js';
import { refusalText, statusLabel } from '../../src/slack/views/format.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication, MAX_REASON_LENGTH } from '../../src/usecases/decide-application.js';
import type { DrainableEventSink as SlackNotifier } from '../../src/usecases/ports/index.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { requestCombination } from '../../src/usecases/request-combination.js';
import { requestRenewal } from '../../src/usecases/request-renewal.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import type { RecordedCall } from '../../tools/try/local-slack-api.js';
import {
  APPROVAL_CHANNEL,
  type BotUnderTest,
  SUPPORT_CHANNEL,
  startBot,
} from '../support/certops-under-test.js';
import { application, certificate } from '../support/fixtures.js';
import { type OpenedView, SlackDriver } from '../support/slack-driver.js';

type Json = Record<string, unknown>;

const en = translator('en');
const zh = translator('zh-CN');
const TZ = 'Asia/Shanghai';
const START = new Date('2126-06-04T10:00:00+08:00'); // the issued fixtures are valid then
const START_LOCAL = en('approvals.when', { time: '2126-06-04 10:00', zone: TZ });

const ALICE = 'UALICE'; // team default
const BOB = 'UBOB'; // team default, not an approver
const ZHANG = 'UZHANG'; // team default, Slack in Simplified Chinese
const APPROVER1 = 'UAPPROVER1';
const APPROVER2 = 'UAPPROVER2';
const SHOP = ['shop.example.com', 'www.shop.example.com'];

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/issued/${name}`, import.meta.url), 'utf8');
}

/** One bot with a movable clock, and the seeding and reading helpers every test here uses. */
function world() {
  const clock = fixedClock(START);
  const w = {
    clock,
    bot: undefined as unknown as BotUnderTest,
    driver: undefined as unknown as SlackDriver,
    contacts: 0,
    async start() {
      w.bot = await startBot({ clock });
      w.driver = new SlackDriver(w.bot);
      w.bot.slack.setLocale(ZHANG, 'zh-CN');
    },
    get ctx() {
      return w.bot.certops.useCases;
    },
    /** Waits for event notifications in flight (they are delivered in the background). */
    settle(): Promise<void> {
      return (w.ctx.events as SlackNotifier).drain();
    },
    async buy(name: string, quantity = 1, quota = 2): Promise<string[]> {
      const result = await recordPurchases(w.ctx, APPROVER1, [
        {
          kind: 'instances',
          brand: 'DigiCert',
          validationType: 'OV',
          domainType: 'multi',
          grade: 'standard',
          validityYears: 1,
          domainQuota: quota,
          quantity,
          team: 'default',
          name,
        },
      ]);
      if (!result.ok) throw new Error(JSON.stringify(result.refusal));
      return [...result.value.certificateIds];
    },
    newContact() {
      const n = ++w.contacts;
      return {
        kind: 'new',
        fields: {
          name: `Li Lei ${n}`,
          email: `li${n}@example.com`,
          phone: `+861380000${String(n).padStart(4, '0')}`,
        },
      } as const;
    },
    async apply(certificateId: string, requesterId = ALICE, domains = SHOP) {
      const result = await applyForCertificate(w.ctx, {
        certificateId,
        requesterId,
        domains,
        validationMethod: 'dns',
        contact: w.newContact(),
        hosting: false,
      });
      if (!result.ok) throw new Error(JSON.stringify(result.refusal));
      return result.value.application;
    },
    /** The request message posted to the approvals channel for an application. */
    requestMessage(applicationId: string): Promise<RecordedCall> {
      return w.bot.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.params.channel === APPROVAL_CHANNEL &&
          JSON.stringify(c.params.blocks ?? []).includes(applicationId),
      );
    },
    /** The "submitted to the CA (manual)" message in the support channel for an application. */
    manualMessage(applicationId: string): Promise<RecordedCall> {
      return w.bot.slack.waitFor(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.params.channel === SUPPORT_CHANNEL &&
          JSON.stringify(c.params.blocks ?? []).includes(`\\"a\\":\\"${applicationId}\\"`),
      );
    },
    /** The first call after index `since` that matches. */
    next(since: number, match: (c: RecordedCall) => boolean): Promise<RecordedCall> {
      return w.bot.slack.waitFor((c) => w.bot.slack.calls.indexOf(c) >= since && match(c));
    },
    callsSince(since: number, match: (c: RecordedCall) => boolean): RecordedCall[] {
      return w.bot.slack.calls.slice(since).filter(match);
    },
    ephemeral(since: number): Promise<RecordedCall> {
      return w.next(since, (c) => c.method.startsWith('response_url:'));
    },
    dm(since: number, userId: string): Promise<RecordedCall> {
      return w.next(since, (c) => c.method === 'chat.postMessage' && c.params.channel === userId);
    },
  };
  return w;
}

function blocksOf(call: RecordedCall): Json[] {
  return (call.params.blocks as Json[] | undefined) ?? [];
}

function buttons(call: RecordedCall): Json[] {
  return blocksOf(call)
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Json[]);
}

function textOf(call: RecordedCall): string {
  return SlackDriver.text(call);
}

/** What a person reads in a message: every text, mrkdwn and plain, in order. */
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

function expectRequestButtons(call: RecordedCall, applicationId: string): void {
  const [approve, reject] = buttons(call);
  expect(approve).toMatchObject({
    action_id: APPROVALS_IDS.approve,
    style: 'primary',
    text: { text: en('approvals.button.approve') },
  });
  expect(reject).toMatchObject({
    action_id: APPROVALS_IDS.reject,
    style: 'danger',
    text: { text: en('approvals.button.reject') },
  });
  for (const b of [approve, reject])
    expect(JSON.parse(b?.value as string)).toEqual({ a: applicationId });
}

describe('approval requests in the approvals channel', () => {
  const w = world();
  beforeAll(() => w.start());
  afterAll(() => w.bot?.stop());

  it('posts an application with instance, spec, domains, contact and hosting, and both buttons', async () => {
    const [id = ''] = await w.buy('shop OV');
    const app = await w.apply(id);
    const call = await w.requestMessage(app.id);
    expect(blocksOf(call)[0]).toMatchObject({
      type: 'header',
      text: { text: en('approvals.request.title.apply') },
    });
    const text = readable(call);
    expect(text).toContain(
      en('approvals.request.intro.apply', { requester: `<@${ALICE}>`, name: 'shop OV', id }),
    );
    expect(text).toContain(
      en('approvals.field.domains', {
        count: 2,
        domains: 'shop.example.com, www.shop.example.com',
      }),
    );
    expect(text).toContain(en('approvals.field.hosting', { hosting: en('approvals.hosting.off') }));
    expect(text).toContain(
      en('approvals.field.validation', { method: en('approvals.method.dns') }),
    );
    expect(text).toContain('Li Lei 1 · li1@example.com · +8613800000001');
    expect(text).toContain(en('approvals.request.context', { id: app.id, at: START_LOCAL }));
    expectRequestButtons(call, app.id);
    expect(call.params.text).toContain(`<@${ALICE}>`);
  });

  it('is in English even when the requester reads Chinese (the channel is shared)', async () => {
    const [id = ''] = await w.buy('zh shop');
    const app = await w.apply(id, ZHANG);
    const call = await w.requestMessage(app.id);
    expect(readable(call)).toContain(en('approvals.request.title.apply'));
    expect(readable(call)).not.toContain(zh('approvals.request.title.apply'));
  });

  it('posts enabling hosting (more than 30 days before expiry) with the expiry and contact', async () => {
    const uploaded = await uploadCertificate(w.ctx, {
      pem: fixture('wildcard-ov-2126.pem'),
      uploaderId: ALICE,
      name: 'wildcard',
    });
    if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.refusal));
    const cert = uploaded.value.certificate;
    const renewal = await requestRenewal(w.ctx, {
      certificateId: cert.id,
      requesterId: ALICE,
      contact: w.newContact(),
    });
    if (!renewal.ok) throw new Error(JSON.stringify(renewal.refusal));
    expect(renewal.value.application.kind).toBe('enable_hosting');
    const call = await w.requestMessage(renewal.value.application.id);
    expect(blocksOf(call)[0]).toMatchObject({
      text: { text: en('approvals.request.title.enable_hosting') },
    });
    const text = readable(call);
    expect(text).toContain(en('approvals.field.expires', { date: '2127-03-01' }));
    expect(text).toContain('*.example.com, example.com');
    expect(text).toMatch(/Li Lei \d+ · li\d+@example\.com/);
    expectRequestButtons(call, renewal.value.application.id);

    // Approved: hosting is on, the requester hears so and the message shows it in place.
    const since = w.bot.slack.calls.length;
    await w.driver.click(call, APPROVALS_IDS.approve, APPROVER1);
    const dm = await w.dm(since, ALICE);
    const stored = await w.ctx.store.certificates.get(cert.id);
    expect(stored?.hosted).toBe(true);
    expect(dm.params.text).toBe(
      en('approvals.dm.hosting_enabled', {
        name: 'wildcard',
        id: cert.id,
        by: `<@${APPROVER1}>`,
        renewal: stored?.renewalId ?? '?',
      }),
    );
    const update = await w.next(since, (c) => c.method === 'chat.update');
    expect(update.params).toMatchObject({ channel: APPROVAL_CHANNEL, ts: call.response?.ts });
    expect(readable(update)).toContain(en('approvals.decided.done.enable_hosting'));
    expect(buttons(update)).toEqual([]);
  });

  it('posts a renewal purchase (within 30 days of expiry, not hosted)', async () => {
    const uploaded = await uploadCertificate(w.ctx, {
      pem: fixture('shop-ov-2126.pem'),
      uploaderId: ALICE,
      name: 'shop uploaded',
    });
    if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.refusal));
    w.clock.set(new Date('2127-02-10T10:00:00+08:00'));
    try {
      const renewal = await requestRenewal(w.ctx, {
        certificateId: uploaded.value.certificate.id,
        requesterId: ALICE,
        contact: w.newContact(),
      });
      if (!renewal.ok) throw new Error(JSON.stringify(renewal.refusal));
      expect(renewal.value.application.kind).toBe('renewal_purchase');
      const call = await w.requestMessage(renewal.value.application.id);
      expect(blocksOf(call)[0]).toMatchObject({
        text: { text: en('approvals.request.title.renewal_purchase') },
      });
      expect(readable(call)).toContain(
        en('approvals.request.intro.renewal_purchase', {
          requester: `<@${ALICE}>`,
          name: 'shop uploaded',
          id: uploaded.value.certificate.id,
        }),
      );
      expect(readable(call)).toContain(en('approvals.field.expires', { date: '2127-03-01' }));
      expectRequestButtons(call, renewal.value.application.id);

      const since = w.bot.slack.calls.length;
      await w.driver.click(call, APPROVALS_IDS.approve, APPROVER2);
      const dm = await w.dm(since, ALICE);
      const original = uploaded.value.certificate.id;
      const [renewalId = ''] = await w.ctx.store.certificates
        .idsOfTeam('default')
        .then((ids) =>
          w.ctx.store.certificates
            .getMany(ids)
            .then((certs) => certs.filter((c) => c.renewalOf === original).map((c) => c.id)),
        );
      expect((await w.ctx.store.certificates.get(renewalId))?.state).toBe('pending_application');
      expect(dm.params.text).toBe(
        en('approvals.dm.renewal_purchased', {
          name: 'shop uploaded',
          id: original,
          by: `<@${APPROVER2}>`,
          renewal: renewalId,
        }),
      );
    } finally {
      w.clock.set(START);
    }
  });

  it('posts a combination with its instances, the summed quota and "no refund" confirmed', async () => {
    const [a = '', b = '', c = ''] = await w.buy('merge me', 3, 2);
    const result = await requestCombination(w.ctx, {
      certificateId: a,
      requesterId: ALICE,
      combineWith: [b, c],
      confirmedNoRefund: true,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.refusal));
    const call = await w.requestMessage(result.value.application.id);
    const text = readable(call);
    expect(blocksOf(call)[0]).toMatchObject({
      text: { text: en('approvals.request.title.combine') },
    });
    expect(text).toContain(
      en('approvals.request.intro.combine', {
        requester: `<@${ALICE}>`,
        name: 'merge me',
        id: a,
        count: 3,
      }),
    );
    for (const id of [a, b, c])
      expect(text).toContain(
        en('approvals.field.combined_item', { id, name: 'merge me', quota: 2 }),
      );
    expect(text).toContain(en('approvals.field.quota', { quota: 6, parts: '2 + 2 + 2' }));
    expect(text).toContain(en('approvals.field.no_refund'));
    expectRequestButtons(call, result.value.application.id);

    const since = w.bot.slack.calls.length;
    await w.driver.click(call, APPROVALS_IDS.approve, APPROVER2);
    const dm = await w.dm(since, ALICE);
    const merged = await w.ctx.store.certificates.get(a);
    expect(merged?.state).toBe('merged');
    const combined = await w.ctx.store.certificates.get(merged?.mergedInto ?? '');
    expect(combined?.domainQuota).toBe(6);
    expect(dm.params.text).toBe(
      en('approvals.dm.instances_combined', {
        name: combined?.name ?? '?',
        id: combined?.id ?? '?',
        by: `<@${APPROVER2}>`,
        count: 3,
        quota: 6,
      }),
    );
  });
});

describe('deciding: Approve and Reject', () => {
  const w = world();
  beforeAll(() => w.start());
  afterAll(() => w.bot?.stop());

  it('approves in place: the same message is updated, the requester told, the application submitted', async () => {
    const [id = ''] = await w.buy('approve me');
    const app = await w.apply(id);
    const call = await w.requestMessage(app.id);
    const since = w.bot.slack.calls.length;
    const ack = await w.driver.click(call, APPROVALS_IDS.approve, APPROVER1);
    expect(ack.status).toBe(200);

    const update = await w.next(since, (c) => c.method === 'chat.update');
    expect(update.params).toMatchObject({ channel: APPROVAL_CHANNEL, ts: call.response?.ts });
    expect(buttons(update)).toEqual([]);
    expect(readable(update)).toContain(
      en('approvals.decided.approved', { by: `<@${APPROVER1}>`, at: START_LOCAL }),
    );
    expect(readable(update)).toContain(
      en('approvals.decided.submitted', { order: `manual-${app.id}` }),
    );
    const dm = await w.dm(since, ALICE);
    expect(dm.params.text).toBe(
      en('approvals.dm.approved', {
        kind: en('approvals.kind.apply'),
        name: 'approve me',
        id,
        by: `<@${APPROVER1}>`,
      }),
    );
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('submitted');
    expect((await w.ctx.store.certificates.get(id))?.state).toBe('under_review');

    // A second click by anyone (a stale copy of the message) changes nothing.
    const again = w.bot.slack.calls.length;
    await w.driver.click(call, APPROVALS_IDS.approve, APPROVER2);
    const reply = await w.ephemeral(again);
    expect(reply.params).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply.params.text).toBe(
      en('approvals.already_decided', {
        by: `<@${APPROVER1}>`,
        at: START_LOCAL,
        status: statusLabel(en, 'submitted'),
      }),
    );
    await w.driver.click(call, APPROVALS_IDS.approve, APPROVER1);
    await w.bot.slack.waitFor(
      () => w.callsSince(again, (c) => c.method.startsWith('response_url:')).length === 2,
    );
    await w.settle();
    expect(w.callsSince(again, (c) => c.method === 'chat.update')).toEqual([]);
    expect(w.callsSince(again, (c) => c.params.channel === ALICE)).toEqual([]);
    const history = await w.ctx.store.audit.history('app', app.id, 20);
    expect(history.filter((e) => e.action === 'approve')).toHaveLength(1);
  });

  it('posts the manual CA step to the support channel once the application is submitted', async () => {
    const [id = ''] = await w.buy('manual step');
    const app = await w.apply(id);
    await w.driver.click(await w.requestMessage(app.id), APPROVALS_IDS.approve, APPROVER2);
    const manual = await w.manualMessage(app.id);
    expect(blocksOf(manual)[0]).toMatchObject({ text: { text: en('approvals.manual.title') } });
    expect(readable(manual)).toContain(`manual-${app.id}`);
    expect(buttons(manual).map((b) => [b.action_id, b.style])).toEqual([
      [APPROVALS_IDS.issued, 'primary'],
      [APPROVALS_IDS.failed, 'danger'],
    ]);
  });

  it('applies four-eyes: an approver cannot approve their own request', async () => {
    const [id = ''] = await w.buy('own request');
    const app = await w.apply(id, APPROVER1);
    const call = await w.requestMessage(app.id);
    const since = w.bot.slack.calls.length;
    await w.driver.click(call, APPROVALS_IDS.approve, APPROVER1);
    const reply = await w.ephemeral(since);
    expect(reply.params).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(reply.params.text).toBe(
      explain(en, { code: 'approval.own_request', params: { user: APPROVER1 } }),
    );
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('awaiting_approval');
    expect(w.callsSince(since, (c) => c.method === 'chat.update')).toEqual([]);

    // The other approver can.
    await w.driver.click(call, APPROVALS_IDS.approve, APPROVER2);
    await w.next(since, (c) => c.method === 'chat.update');
    expect((await w.ctx.store.applications.get(app.id))?.decidedBy).toBe(APPROVER2);
  });

  it('refuses a non-approver ephemerally, in their language, and changes nothing', async () => {
    const [id = ''] = await w.buy('not yours');
    const app = await w.apply(id);
    const call = await w.requestMessage(app.id);
    const since = w.bot.slack.calls.length;
    await w.driver.click(call, APPROVALS_IDS.approve, BOB);
    const reply = await w.ephemeral(since);
    expect(reply.params.text).toBe(
      explain(en, { code: 'approval.not_approver', params: { user: BOB } }),
    );
    const zhSince = w.bot.slack.calls.length;
    await w.driver.click(call, APPROVALS_IDS.reject, ZHANG);
    const zhReply = await w.ephemeral(zhSince);
    expect(zhReply.params.text).toBe(
      explain(zh, { code: 'approval.not_approver', params: { user: ZHANG } }),
    );
    expect(w.callsSince(since, (c) => c.method === 'views.open')).toEqual([]);
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('awaiting_approval');
  });

  it('takes exactly one decision from 20 concurrent Approve clicks by both approvers', async () => {
    const [id = ''] = await w.buy('race');
    const app = await w.apply(id);
    const call = await w.requestMessage(app.id);
    const since = w.bot.slack.calls.length;
    const acks = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        w.driver.click(call, APPROVALS_IDS.approve, i % 2 === 0 ? APPROVER1 : APPROVER2),
      ),
    );
    expect(acks.every((a) => a.status === 200)).toBe(true);
    // Every click ends in either the one update or an ephemeral refusal.
    await w.bot.slack.waitFor(
      () =>
        w.callsSince(since, (c) => c.method.startsWith('response_url:')).length === 19 &&
        w.callsSince(since, (c) => c.method === 'chat.update').length === 1,
    );
    await w.settle();
    const stored = await w.ctx.store.applications.get(app.id);
    expect(stored?.status).toBe('submitted');
    const winner = stored?.decidedBy ?? '';
    expect([APPROVER1, APPROVER2]).toContain(winner);
    const refusals = w.callsSince(since, (c) => c.method.startsWith('response_url:'));
    // A loser sees the decision as it is then: approved, or already with the CA.
    const seen = ['approved', 'submitted'].map((status) =>
      en('approvals.already_decided', {
        by: `<@${winner}>`,
        at: START_LOCAL,
        status: statusLabel(en, status),
      }),
    );
    for (const r of refusals) expect(seen).toContain(r.params.text);
    expect(w.callsSince(since, (c) => c.params.channel === ALICE)).toHaveLength(1);
    const history = await w.ctx.store.audit.history('app', app.id, 50);
    expect(history.filter((e) => e.action === 'approve')).toHaveLength(1);
    expect(history.filter((e) => e.action === 'submit')).toHaveLength(1);
  });

  async function openReject(call: RecordedCall, user = APPROVER1): Promise<OpenedView> {
    const since = w.bot.slack.calls.length;
    await w.driver.click(call, APPROVALS_IDS.reject, user);
    return w.driver.view(since);
  }

  it('rejects only with a reason, then updates the message and tells the requester why', async () => {
    const [id = ''] = await w.buy('reject me');
    const app = await w.apply(id);
    const call = await w.requestMessage(app.id);
    const view = await openReject(call);
    expect(view.view.callback_id).toBe(APPROVALS_IDS.reject);
    expect(JSON.parse(view.view.private_metadata as string)).toEqual({
      a: app.id,
      c: APPROVAL_CHANNEL,
      ts: call.response?.ts,
    });
    const reasonInput = (view.view.blocks as Json[]).find(
      (b) => b.block_id === APPROVALS_IDS.rejectReasonBlock,
    );
    expect(reasonInput).toMatchObject({
      type: 'input',
      element: { max_length: MAX_REASON_LENGTH },
    });
    expect(reasonInput?.optional).toBeUndefined();

    const blank = await w.driver.submit(view, APPROVER1, {
      [APPROVALS_IDS.rejectReasonBlock]: '   ',
    });
    expect(blank.body).toEqual({
      response_action: 'errors',
      errors: { [APPROVALS_IDS.rejectReasonBlock]: en('approvals.reject.reason.required') },
    });
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('awaiting_approval');

    const since = w.bot.slack.calls.length;
    const reason = 'Use the <shop> domains of the new site';
    const done = await w.driver.submit(view, APPROVER1, {
      [APPROVALS_IDS.rejectReasonBlock]: reason,
    });
    expect(done.status).toBe(200);
    expect(done.body).toBeUndefined();
    const update = await w.next(since, (c) => c.method === 'chat.update');
    expect(update.params).toMatchObject({ channel: APPROVAL_CHANNEL, ts: call.response?.ts });
    expect(buttons(update)).toEqual([]);
    const escaped = 'Use the &lt;shop&gt; domains of the new site';
    expect(readable(update)).toContain(
      en('approvals.decided.rejected', { by: `<@${APPROVER1}>`, at: START_LOCAL, reason: escaped }),
    );
    const dm = await w.dm(since, ALICE);
    expect(dm.params.text).toBe(
      en('approvals.dm.rejected', {
        kind: en('approvals.kind.apply'),
        name: 'reject me',
        id,
        by: `<@${APPROVER1}>`,
        reason: escaped,
      }),
    );
    const stored = await w.ctx.store.applications.get(app.id);
    expect(stored).toMatchObject({ status: 'rejected', decisionReason: reason });
    expect((await w.ctx.store.certificates.get(id))?.openApplicationId).toBeUndefined();
  });

  it('says inline who decided when the request was decided while the reason was typed', async () => {
    const [id = ''] = await w.buy('too late');
    const app = await w.apply(id);
    const call = await w.requestMessage(app.id);
    const view = await openReject(call, APPROVER1);
    await decideApplication(w.ctx, {
      applicationId: app.id,
      deciderId: APPROVER2,
      decision: 'approve',
    });
    await w.settle();
    const since = w.bot.slack.calls.length;
    const late = await w.driver.submit(view, APPROVER1, {
      [APPROVALS_IDS.rejectReasonBlock]: 'wrong team',
    });
    expect(late.body).toEqual({
      response_action: 'errors',
      errors: {
        [APPROVALS_IDS.rejectReasonBlock]: en('approvals.already_decided', {
          by: APPROVER2,
          at: START_LOCAL,
          status: statusLabel(en, 'submitted'),
        }),
      },
    });
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('submitted');
    await w.settle();
    expect(w.callsSince(since, (c) => c.method === 'chat.update')).toEqual([]);
  });

  it('does not open the reject modal for the requester or once decided', async () => {
    const [id = ''] = await w.buy('own reject');
    const app = await w.apply(id, APPROVER2);
    const call = await w.requestMessage(app.id);
    const since = w.bot.slack.calls.length;
    await w.driver.click(call, APPROVALS_IDS.reject, APPROVER2);
    expect((await w.ephemeral(since)).params.text).toBe(
      explain(en, { code: 'approval.own_request', params: { user: APPROVER2 } }),
    );
    expect(w.callsSince(since, (c) => c.method === 'views.open')).toEqual([]);
  });

  it('tells a zh-CN requester in Chinese, while the channel stays English', async () => {
    const [id = ''] = await w.buy('zh approve');
    const app = await w.apply(id, ZHANG);
    const call = await w.requestMessage(app.id);
    const since = w.bot.slack.calls.length;
    await w.driver.click(call, APPROVALS_IDS.approve, APPROVER1);
    const dm = await w.dm(since, ZHANG);
    expect(dm.params.text).toBe(
      zh('approvals.dm.approved', {
        kind: zh('approvals.kind.apply'),
        name: 'zh approve',
        id,
        by: `<@${APPROVER1}>`,
      }),
    );
    const update = await w.next(since, (c) => c.method === 'chat.update');
    expect(readable(update)).toContain(
      en('approvals.decided.approved', { by: `<@${APPROVER1}>`, at: START_LOCAL }),
    );
  });

  it('answers a tampered button value clearly and changes nothing', async () => {
    const [id = ''] = await w.buy('tampered');
    const app = await w.apply(id);
    const call = await w.requestMessage(app.id);
    const forged: RecordedCall = {
      ...call,
      params: {
        ...call.params,
        blocks: blocksOf(call).map((b) =>
          b.type === 'actions'
            ? {
                ...b,
                elements: (b.elements as Json[]).map((e) => ({ ...e, value: '{"a":42}' })),
              }
            : b,
        ),
      },
    };
    const since = w.bot.slack.calls.length;
    await w.driver.click(forged, APPROVALS_IDS.approve, APPROVER1);
    expect((await w.ephemeral(since)).params.text).toBe(en('approvals.invalid_button'));
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('awaiting_approval');
  });
});

describe('recording the manual CA outcome', () => {
  const w = world();
  beforeAll(() => w.start());
  afterAll(() => w.bot?.stop());

  async function submitted(name: string, requester = ALICE) {
    const [id = ''] = await w.buy(name);
    const app = await w.apply(id, requester);
    const decided = await decideApplication(w.ctx, {
      applicationId: app.id,
      deciderId: APPROVER1,
      decision: 'approve',
    });
    if (!decided.ok) throw new Error(JSON.stringify(decided.refusal));
    const manual = await w.manualMessage(app.id);
    await w.settle();
    return { id, app, manual };
  }

  async function openModal(call: RecordedCall, actionId: string, user = APPROVER2) {
    const since = w.bot.slack.calls.length;
    await w.driver.click(call, actionId, user);
    return w.driver.view(since);
  }

  const [LEAF, INTERMEDIATE, MORE] = APPROVALS_IDS.pemBlocks;

  it('offers three PEM fields of at most 3000 characters, only the leaf required', async () => {
    const { manual } = await submitted('fields');
    const view = await openModal(manual, APPROVALS_IDS.issued);
    expect(view.view.callback_id).toBe(APPROVALS_IDS.issued);
    const inputs = (view.view.blocks as Json[]).filter((b) => b.type === 'input');
    expect(inputs.map((b) => [b.block_id, b.optional ?? false])).toEqual([
      [LEAF, false],
      [INTERMEDIATE, true],
      [MORE, true],
    ]);
    for (const b of inputs) expect(b.element).toMatchObject({ multiline: true, max_length: 3000 });
    const text = textOf(view.call);
    expect(text).toContain(JSON.stringify(en('approvals.issued.chain')).slice(1, -1));
  });

  it('refuses a private key inline on the field holding it, and stores nothing', async () => {
    const { id, app, manual } = await submitted('key pasted');
    const view = await openModal(manual, APPROVALS_IDS.issued);
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const since = w.bot.slack.calls.length;
    const refused = await w.driver.submit(view, APPROVER2, {
      [LEAF]: fixture('shop-ov-2126.pem'),
      [INTERMEDIATE]: key,
    });
    expect(refused.body).toEqual({
      response_action: 'errors',
      errors: {
        [INTERMEDIATE]: refusalText(en, { code: 'pem.private_key' }, { escape: false }),
      },
    });
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('submitted');
    expect((await w.ctx.store.certificates.get(id))?.state).toBe('under_review');
    expect(w.callsSince(since, (c) => c.method.startsWith('chat.'))).toEqual([]);
    expect(w.bot.logs.join('\n')).not.toContain(key.split('\n')[1]);
  });

  it('refuses a certificate that does not cover the domains', async () => {
    const { id, manual } = await submitted('wrong cert');
    const view = await openModal(manual, APPROVALS_IDS.issued);
    const refused = await w.driver.submit(view, APPROVER2, {
      [LEAF]: fixture('wildcard-ov-2126.pem'),
    });
    expect(refused.body).toEqual({
      response_action: 'errors',
      errors: {
        [LEAF]: refusalText(
          en,
          {
            code: 'outcome.domains_not_covered',
            params: { domains: 'www.shop.example.com', count: 1 },
          },
          { escape: false },
        ),
      },
    });
    expect((await w.ctx.store.certificates.get(id))?.state).toBe('under_review');
  });

  it('records the issued certificate, updates the support message in place and tells the requester', async () => {
    const { id, app, manual } = await submitted('issue me', ZHANG);
    const view = await openModal(manual, APPROVALS_IDS.issued);
    const since = w.bot.slack.calls.length;
    const done = await w.driver.submit(view, APPROVER2, {
      [LEAF]: fixture('shop-ov-2126.pem'),
      [INTERMEDIATE]: fixture('issuing-ca.pem'),
    });
    expect(done.body).toBeUndefined();
    const cert = await w.ctx.store.certificates.get(id);
    expect(cert).toMatchObject({ state: 'issued', domains: SHOP });
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('issued');

    const update = await w.next(since, (c) => c.method === 'chat.update');
    expect(update.params).toMatchObject({ channel: SUPPORT_CHANNEL, ts: manual.response?.ts });
    expect(buttons(update)).toEqual([]);
    expect(readable(update)).toContain(
      en('approvals.manual.issued', {
        by: `<@${APPROVER2}>`,
        at: START_LOCAL,
        serial: cert?.serialNumber ?? '?',
        notAfter: '2127-03-01',
      }),
    );
    const dm = await w.dm(since, ZHANG);
    expect(dm.params.text).toBe(
      zh('approvals.dm.issued', {
        name: 'issue me',
        id,
        domains: SHOP.join(', '),
        notAfter: '2127-03-01',
      }),
    );

    // Recorded already: the button answers so instead of opening the modal again.
    const again = w.bot.slack.calls.length;
    await w.driver.click(manual, APPROVALS_IDS.issued, APPROVER1);
    expect((await w.ephemeral(again)).params.text).toBe(
      en('approvals.manual.already_recorded', { id: app.id, status: statusLabel(en, 'issued') }),
    );
    expect(w.callsSince(again, (c) => c.method === 'views.open')).toEqual([]);
  });

  it('lets only approvers and admins record an outcome', async () => {
    const { manual } = await submitted('not for bob');
    const since = w.bot.slack.calls.length;
    await w.driver.click(manual, APPROVALS_IDS.failed, BOB);
    expect((await w.ephemeral(since)).params.text).toBe(
      explain(en, { code: 'outcome.not_allowed', params: { user: BOB } }),
    );
    expect(w.callsSince(since, (c) => c.method === 'views.open')).toEqual([]);
  });

  it('records a validation failure with the CA reason (required) and updates the message', async () => {
    const { id, app, manual } = await submitted('fail me');
    const view = await openModal(manual, APPROVALS_IDS.failed);
    expect(view.view.callback_id).toBe(APPROVALS_IDS.failed);
    const blank = await w.driver.submit(view, APPROVER2, {
      [APPROVALS_IDS.failedReasonBlock]: ' ',
    });
    expect(blank.body).toEqual({
      response_action: 'errors',
      errors: {
        [APPROVALS_IDS.failedReasonBlock]: explain(en, { code: 'decision.reason_required' }),
      },
    });
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('submitted');

    const since = w.bot.slack.calls.length;
    const reason = 'Domain verification email was not answered';
    await w.driver.submit(view, APPROVER2, { [APPROVALS_IDS.failedReasonBlock]: reason });
    const update = await w.next(
      since,
      (c) => c.method === 'chat.update' && c.params.ts === manual.response?.ts,
    );
    expect(readable(update)).toContain(
      en('approvals.manual.failed', { by: `<@${APPROVER2}>`, at: START_LOCAL, reason }),
    );
    expect(buttons(update)).toEqual([]);
    expect((await w.ctx.store.certificates.get(id))?.state).toBe('validation_failed');
    expect((await w.ctx.store.applications.get(app.id))?.status).toBe('validation_failed');
  });
});

describe('the request message as built', () => {
  it('says in the update when the CA could not take an approved application', () => {
    const message = requestMessage(
      en,
      {
        application: application({
          status: 'approved',
          decidedBy: APPROVER1,
          decidedAt: START.getTime(),
        }),
        certificate: certificate(),
        contact: undefined,
        sources: [],
      },
      { timeZone: TZ, caError: 'CA <down>' },
    );
    const text = JSON.stringify(message.blocks);
    expect(text).toContain(
      JSON.stringify(en('approvals.decided.ca_error', { error: 'CA &lt;down&gt;' })).slice(1, -1),
    );
    expect(text).toContain(
      JSON.stringify(
        en('approvals.decided.approved', { by: `<@${APPROVER1}>`, at: START_LOCAL }),
      ).slice(1, -1),
    );
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('stays within message limits for the largest quota, keeping its buttons', () => {
    const domains = Array.from(
      { length: 250 },
      (_, i) => `host-${i}.a-rather-long-name.example.com`,
    );
    const message = requestMessage(
      en,
      {
        application: application({ domains }),
        certificate: certificate({ name: 'x'.repeat(64), domainQuota: 250 }),
        contact: undefined,
        sources: [],
      },
      { timeZone: TZ },
    );
    expect(messageFits(message.blocks, message.text)).toBe(true);
    expect(message.blocks.at(-1)?.type).toBe('actions');
    expect(JSON.stringify(message.blocks)).toContain(
      en('queries.row.moreDomains', { count: 250 - 20 }),
    );
  });
});
