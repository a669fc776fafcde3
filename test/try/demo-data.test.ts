import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { candidateIneligibility } from '../../src/domain/combine.js';
import { CERTIFICATE_STATES } from '../../src/domain/states.js';
import { teamDirectory, type UseCaseContext } from '../../src/usecases/context.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { runExpiryCheck } from '../../src/usecases/expiry-check.js';
import { RecordingDispatcher } from '../../src/usecases/ports/index.js';
import { combineCandidates } from '../../src/usecases/request-combination.js';
import { renewalOptions } from '../../src/usecases/request-renewal.js';
import { checkReview } from '../../src/usecases/review-clock.js';
import {
  DEMO_CHANNELS,
  DEMO_ENV,
  DEMO_PEOPLE,
  DEMO_PEOPLE_ROLES,
  type DemoInstance,
  DemoSeedError,
  seedDemoData,
} from '../../tools/try/demo-data.js';
import { buy, type Harness, harness } from '../support/usecase-harness.js';

const DAY_MS = 86_400_000;

/** The roles DEMO_ENV gives, as the composition root builds them from the parsed config. */
function demoConfig() {
  const parsed = parseConfig({
    ...DEMO_ENV,
    SLACK_BOT_TOKEN: 'xoxb-demo-test',
    SLACK_SIGNING_SECRET: 'abcdefghijklmnop0123',
  });
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.config;
}

let h: Harness;
let ctx: UseCaseContext;
let dispatcher: RecordingDispatcher;
let demo: readonly DemoInstance[];

beforeEach(async () => {
  h = await harness();
  const config = demoConfig();
  dispatcher = new RecordingDispatcher();
  ctx = {
    ...h.ctx,
    policy: {
      approvers: new Set(config.approvals.approvers),
      admins: new Set(config.approvals.admins),
      timeZone: config.calendar.timezone,
      reminderDays: config.expiry.reminderDays,
    },
    teams: teamDirectory(config.teams.memberOf),
    dispatcher,
  };
  demo = await seedDemoData(ctx);
});
afterEach(async () => {
  await h.cleanup();
});

function named(name: string): DemoInstance {
  const found = demo.find((d) => d.name === name);
  if (!found) throw new Error(`no demo instance named ${name}`);
  return found;
}

describe('demo configuration', () => {
  it('gives the demo people their roles and channels', () => {
    const config = demoConfig();
    expect(config.approvals.approvers).toEqual([DEMO_PEOPLE.approver, DEMO_PEOPLE.secondApprover]);
    expect(config.approvals.admins).toEqual([DEMO_PEOPLE.admin]);
    expect(config.approvals.channel).toBe(DEMO_CHANNELS.approvals);
    expect(config.support.channel).toBe(DEMO_CHANNELS.support);
    expect(config.teams.memberOf[DEMO_PEOPLE.requester]).toBe('web');
    expect(config.teams.memberOf[DEMO_PEOPLE.teammate]).toBe('web');
    expect(config.ca.routes).toEqual({ '*': 'manual' });
    expect(Object.keys(DEMO_PEOPLE_ROLES.roles).sort()).toEqual(Object.values(DEMO_PEOPLE).sort());
  });
});

describe('seedDemoData', () => {
  it('covers every stored state and the derived hosted, expiring and expired', async () => {
    const states = new Set(demo.map((d) => d.state));
    expect([...CERTIFICATE_STATES].filter((s) => !states.has(s))).toEqual([]);
    const derived = new Set(demo.flatMap((d) => d.derived));
    expect([...derived].sort()).toEqual(['expired', 'expiring', 'hosted']);
    // What the list says is what the store holds.
    for (const instance of demo) {
      const cert = await ctx.store.certificates.get(instance.id);
      expect(cert?.state, instance.name).toBe(instance.state);
      expect(instance.note).not.toMatch(/\n|\?/);
    }
  });

  it('records the history through the use cases, with actors and backdated times', async () => {
    const www = await ctx.store.certificates.get(named('www.example.com').id);
    const history = await ctx.store.audit.history('cert', www?.id ?? '', 20);
    expect(history.map((e) => [e.action, e.actor])).toEqual([
      ['purchase', DEMO_PEOPLE.admin],
      ['apply', DEMO_PEOPLE.requester],
      // Hosting was asked for: the approval holds a credit for this instance.
      ['approve', DEMO_PEOPLE.approver],
      ['submit', DEMO_PEOPLE.approver],
      ['issue', DEMO_PEOPLE.admin],
    ]);
    expect(www?.hostingCredit).toBe('spent');
    expect(history[0]?.at).toBe(h.clock.now().getTime() - 400 * DAY_MS);
    expect(www?.notAfter).toBe(h.clock.now().getTime() + 20 * DAY_MS);
  });

  it('offers a combinable pair and one instance refused with its reason', async () => {
    const a = named('OV multi-domain A');
    const b = named('OV multi-domain B');
    const twoYear = named('OV multi-domain, 2-year');
    const candidates = await combineCandidates(ctx, a.id, DEMO_PEOPLE.requester);
    if (!candidates.ok) throw new Error(candidates.refusal.code);
    expect(candidates.value.eligible.map((c) => c.id)).toContain(b.id);
    const refused = candidates.value.ineligible.find((i) => i.certificate.id === twoYear.id);
    expect(refused?.reasons).toEqual([
      { code: 'combine.validity', params: { id: twoYear.id, validityYears: 2 } },
    ]);
    // The domain rule itself agrees.
    const [certA, certB] = await ctx.store.certificates.getMany([a.id, b.id]);
    if (!certA || !certB) throw new Error('missing');
    expect(candidateIneligibility(certA, certB)).toEqual([]);
  });

  it('activates the hosted certificate and reminds the owner of the unhosted one', async () => {
    const www = named('www.example.com');
    const mail = named('mail.example.com');
    expect(www.derived).toEqual(['hosted', 'expiring']);
    expect(mail.derived).toEqual(['expiring']);
    const summary = await runExpiryCheck(ctx, ctx.policy.reminderDays);
    expect(summary).toMatchObject({ reminders: 1, activations: 1, expired: 1, failures: 0 });
    const messages = [...dispatcher.sent.values()];
    expect(messages).toContainEqual(
      expect.objectContaining({
        kind: 'renewal_activated',
        certificateId: www.id,
        userId: DEMO_PEOPLE.requester,
      }),
    );
    expect(messages).toContainEqual(
      expect.objectContaining({
        kind: 'expiry_reminder',
        certificateId: mail.id,
        userId: DEMO_PEOPLE.teammate,
        threshold: 30,
        daysLeft: 20,
      }),
    );
    expect(messages).toContainEqual(
      expect.objectContaining({
        kind: 'escalation',
        cause: 'expired',
        certificateId: named('legacy.example.com').id,
      }),
    );
    // The ladder goes on: 14 days left is the next step, sent once.
    h.clock.advance(6 * DAY_MS);
    await runExpiryCheck(ctx, ctx.policy.reminderDays);
    await runExpiryCheck(ctx, ctx.policy.reminderDays);
    const reminders = [...dispatcher.sent.values()].filter(
      (m) => m.kind === 'expiry_reminder' && m.certificateId === mail.id,
    );
    expect(reminders.map((m) => m.kind === 'expiry_reminder' && m.threshold)).toEqual([30, 14]);
    const renewal = await ctx.store.certificates.get(named('www.example.com (renewal)').id);
    expect(renewal?.state).toBe('under_review');
    // Renew offers what DOMAIN.md says for each.
    const mailRenew = await renewalOptions(ctx, mail.id, DEMO_PEOPLE.teammate);
    expect(mailRenew.ok && mailRenew.value.option.kind).toBe('manual_renewal_purchase');
    const blogRenew = await renewalOptions(
      ctx,
      named('blog.example.com (renewal)').id,
      DEMO_PEOPLE.requester,
    );
    expect(blogRenew.ok && blogRenew.value.option.kind).toBe('enable_hosting');
  });

  it('has an application the approver can approve', async () => {
    const shop = await ctx.store.certificates.get(named('shop.example.com').id);
    const decided = await decideApplication(ctx, {
      applicationId: shop?.openApplicationId ?? '',
      deciderId: DEMO_PEOPLE.approver,
      decision: 'approve',
    });
    if (!decided.ok) throw new Error(decided.refusal.code);
    expect(decided.value.application.status).toBe('submitted');
    expect((await ctx.store.certificates.get(shop?.id ?? ''))?.state).toBe('under_review');
  });

  it('has an OV application under review whose SLA reminder fires after the advance its note names', async () => {
    const api = named('api.example.com');
    const days = Number(/`advance (\d+)d`/.exec(api.note)?.[1]);
    expect(days).toBe(1); // the harness starts on a Tuesday
    const app = (await ctx.store.certificates.get(api.id))?.openApplicationId ?? '';
    expect(await checkReview(ctx, app)).toBe('not_due');
    h.clock.advance(days * DAY_MS);
    expect(await checkReview(ctx, app)).toBe('sent');
    expect([...dispatcher.sent.values()]).toEqual([
      {
        kind: 'sla_reminder',
        userId: DEMO_PEOPLE.requester,
        applicationId: app,
        certificateId: api.id,
      },
    ]);
  });

  it('announces only the requests still waiting for someone', () => {
    const announced = h.events.events.map((e) => [
      e.type,
      'certificate' in e ? e.certificate.name : '',
    ]);
    expect(announced).toEqual([
      ['submitted_to_ca', 'api.example.com'],
      ['approval_requested', 'shop.example.com'],
    ]);
  });

  it('returns what is there when seeded again', async () => {
    const again = await seedDemoData(ctx);
    expect(again).toEqual(demo);
    expect(await ctx.store.certificates.count()).toBe(demo.length);
  });

  it('refuses clearly to seed into a store holding other certificates', async () => {
    const other = await harness();
    try {
      await buy(other.ctx, { team: 'payments' });
      await expect(seedDemoData({ ...ctx, store: other.ctx.store })).rejects.toThrow(DemoSeedError);
      expect(await other.ctx.store.certificates.count()).toBe(1);
    } finally {
      await other.cleanup();
    }
  });
});
