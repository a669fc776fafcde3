import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_DAYS } from '../../src/domain/expiry-ladder.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import type { UseCaseContext } from '../../src/usecases/context.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { runExpiryCheck } from '../../src/usecases/expiry-check.js';
import { RecordingDispatcher } from '../../src/usecases/ports/index.js';
import { recordIssued, recordValidationFailed } from '../../src/usecases/record-ca-outcome.js';
import { requestRenewal } from '../../src/usecases/request-renewal.js';
import { checkReview, reviewsDue } from '../../src/usecases/review-clock.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import { ALICE, APPROVER, buy, type Harness, harness, pem } from '../support/usecase-harness.js';

let h: Harness;
let ctx: UseCaseContext;
let dispatcher: RecordingDispatcher;

async function setUp(start?: string) {
  h = await harness(start ? { start } : {});
  dispatcher = new RecordingDispatcher();
  ctx = { ...h.ctx, dispatcher };
}
afterEach(async () => {
  await h.cleanup();
});

const contact = {
  kind: 'new',
  fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
} as const;

async function submitted(): Promise<{ certId: string; appId: string }> {
  const [certId = ''] = await buy(ctx);
  const applied = await applyForCertificate(ctx, {
    certificateId: certId,
    requesterId: ALICE,
    domains: ['shop.example.com'],
    validationMethod: 'dns',
    contact,
    hosting: false,
  });
  const appId = applied.ok ? applied.value.application.id : '';
  await decideApplication(ctx, { applicationId: appId, deciderId: APPROVER, decision: 'approve' });
  return { certId, appId };
}

describe('review clock (OV/EV SLA)', () => {
  it('reminds after 1 business day across a weekend and a Chinese holiday with adjusted working days', async () => {
    // Tue 2025-09-30 10:00: National Day follows; the next business day is Thu 10-09.
    await setUp('2025-09-30T10:00:00+08:00');
    const { appId } = await submitted();
    const app = await ctx.store.applications.get(appId);
    expect(app?.sla).toMatchObject({
      remindAt: Date.parse('2025-10-09T10:00:00+08:00'),
      estimated: false,
    });
    h.clock.set(new Date('2025-10-08T23:59:00+08:00'));
    expect(await reviewsDue(ctx)).toEqual([]);
    expect(await checkReview(ctx, appId)).toBe('not_due');
    h.clock.set(new Date('2025-10-09T10:00:00+08:00'));
    expect(await reviewsDue(ctx)).toEqual([appId]);
    expect(await checkReview(ctx, appId)).toBe('sent');
    expect([...dispatcher.sent]).toEqual([
      [
        `sla:${appId}:remind`,
        { kind: 'sla_reminder', userId: ALICE, applicationId: appId, certificateId: 'c1' },
      ],
    ]);
    // Re-runs and other workers find it done; the reminder index no longer lists it.
    expect(await checkReview(ctx, appId)).toBe('already_sent');
    expect(await reviewsDue(ctx)).toEqual([]);
  });

  it('escalates the breach at +7 business days, once', async () => {
    // Fri 2025-09-26 15:00: +1 is the working Sunday 09-28; +7 counts 09-28, 09-29, 09-30, 10-09, 10-10, 10-11 (Sat, working), 10-13.
    await setUp('2025-09-26T15:00:00+08:00');
    const { appId } = await submitted();
    const app = await ctx.store.applications.get(appId);
    expect(app?.sla?.remindAt).toBe(Date.parse('2025-09-28T15:00:00+08:00'));
    expect(app?.sla?.breachAt).toBe(Date.parse('2025-10-13T15:00:00+08:00'));
    h.clock.set(new Date('2025-09-29T09:00:00+08:00'));
    expect(await checkReview(ctx, appId)).toBe('sent');
    h.clock.set(new Date('2025-10-13T15:00:00+08:00'));
    expect(await reviewsDue(ctx)).toEqual([appId]);
    expect(await checkReview(ctx, appId)).toBe('sent');
    expect(await checkReview(ctx, appId)).toBe('already_sent');
    expect(dispatcher.sent.get(`sla:${appId}:breach`)).toEqual({
      kind: 'escalation',
      cause: 'sla_breach',
      certificateId: 'c1',
      applicationId: appId,
      requesterId: ALICE,
    });
    expect(await reviewsDue(ctx)).toEqual([]);
  });

  it('a late first check at the breach sends the escalation only', async () => {
    await setUp('2025-09-26T15:00:00+08:00');
    const { appId } = await submitted();
    h.clock.set(new Date('2025-10-20T09:00:00+08:00'));
    expect(await checkReview(ctx, appId)).toBe('sent');
    expect([...dispatcher.sent.keys()]).toEqual([`sla:${appId}:breach`]);
  });

  it('sends nothing once issued or failed before the reminder', async () => {
    await setUp();
    const first = await submitted();
    await recordIssued(ctx, {
      applicationId: first.appId,
      actor: APPROVER,
      pem: pem('shop-ov-2126.pem'),
    });
    const second = await submitted();
    await recordValidationFailed(ctx, {
      applicationId: second.appId,
      actor: APPROVER,
      reason: 'no answer',
    });
    h.clock.advance(30 * 86_400_000);
    expect(await reviewsDue(ctx)).toEqual([]);
    expect(await checkReview(ctx, first.appId)).toBe('not_under_review');
    expect(await checkReview(ctx, second.appId)).toBe('not_under_review');
    expect(dispatcher.sent.size).toBe(0);
  });

  it('two concurrent checks dispatch once and record once', async () => {
    await setUp();
    const { appId } = await submitted();
    h.clock.advance(3 * 86_400_000);
    const results = await Promise.all([
      checkReview(ctx, appId),
      checkReview(ctx, appId),
      checkReview(ctx, appId),
    ]);
    expect(results.filter((r) => r === 'sent')).toHaveLength(1);
    expect(dispatcher.sent.size).toBe(1);
    expect(
      (await ctx.store.audit.history('app', appId, 50)).filter((e) => e.action === 'sla_remind'),
    ).toHaveLength(1);
  });
});

describe('expiry check (30 natural days)', () => {
  // shop-ov-2126.pem expires 2127-03-01 00:00 UTC = 08:00 Shanghai.
  async function uploaded(): Promise<string> {
    const result = await uploadCertificate(ctx, {
      pem: pem('shop-ov-2126.pem'),
      uploaderId: ALICE,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.refusal));
    return result.value.certificate.id;
  }
  const day = (date: string) => new Date(`${date}T09:00:00+08:00`);

  it('walks the whole ladder once, whatever the re-runs, then escalates the expiry once', async () => {
    await setUp();
    const id = await uploaded();
    const days = [
      '2127-01-29',
      '2127-01-30',
      '2127-01-31',
      '2127-02-15',
      '2127-02-15',
      '2127-02-20',
      '2127-02-22',
      '2127-02-26',
      '2127-02-28',
      '2127-02-28',
      '2127-03-01',
      '2127-03-05',
      '2127-03-20',
    ];
    for (const d of days) {
      h.clock.set(day(d));
      await runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS);
      await runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS); // a re-run changes nothing
    }
    const keys = [...dispatcher.sent.keys()];
    const notAfter = Date.parse('2127-03-01T00:00:00Z');
    expect(keys).toEqual([
      `expiry:${id}:${notAfter}:30`,
      `expiry:${id}:${notAfter}:14`,
      `expiry:${id}:${notAfter}:7`,
      `expiry:${id}:${notAfter}:3`,
      `expiry:${id}:${notAfter}:1`,
      `expiry:${id}:${notAfter}:expired-owner`,
      `expiry:${id}:${notAfter}:expired-support`,
    ]);
    expect(dispatcher.sent.get(keys[0] ?? '')).toMatchObject({
      kind: 'expiry_reminder',
      userId: ALICE,
      threshold: 30,
      daysLeft: 30,
    });
  });

  it('reads only the window: certificates far from expiry are not examined', async () => {
    await setUp();
    await uploaded();
    h.clock.set(day('2126-07-01'));
    expect(await runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS)).toMatchObject({ examined: 0 });
    h.clock.set(day('2127-02-01'));
    expect(await runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS)).toMatchObject({
      examined: 1,
      reminders: 1,
    });
  });

  it("activates a hosted certificate's renewal in the window and submits it, once", async () => {
    await setUp();
    const id = await uploaded();
    const renewal = await requestRenewal(ctx, { certificateId: id, requesterId: ALICE, contact });
    await decideApplication(ctx, {
      applicationId: renewal.ok ? renewal.value.application.id : '',
      deciderId: APPROVER,
      decision: 'approve',
    });
    const original = await ctx.store.certificates.get(id);
    expect(original).toMatchObject({ hosted: true });
    h.clock.set(day('2127-02-10'));
    const [a, b] = await Promise.all([
      runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS),
      runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS),
    ]);
    expect((a?.activations ?? 0) + (b?.activations ?? 0)).toBe(1);
    const activated = await ctx.store.certificates.get(original?.renewalId ?? '');
    expect(activated).toMatchObject({
      state: 'under_review',
      caOrderId: expect.stringMatching(/^manual-/),
    });
    const [appId = ''] = await ctx.store.applications.idsOfCertificate(activated?.id ?? '');
    expect(await ctx.store.applications.get(appId)).toMatchObject({
      status: 'submitted',
      decidedBy: 'certops',
      domains: ['shop.example.com', 'www.shop.example.com'],
    });
    expect([...dispatcher.sent.values()]).toEqual([
      { kind: 'renewal_activated', userId: ALICE, certificateId: id, renewalId: activated?.id },
    ]);
    // No expiry reminders for a hosted certificate whose renewal is under way.
    h.clock.set(day('2127-02-25'));
    await runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS);
    expect(dispatcher.sent.size).toBe(1);
  });
});
