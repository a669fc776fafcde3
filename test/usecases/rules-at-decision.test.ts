import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_DAYS } from '../../src/domain/expiry-ladder.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { runExpiryCheck } from '../../src/usecases/expiry-check.js';
import { CaError, type CaRegistry, RecordingDispatcher } from '../../src/usecases/ports/index.js';
import { recordIssued } from '../../src/usecases/record-ca-outcome.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import { renewalOptions, requestRenewal } from '../../src/usecases/request-renewal.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import { withdrawApplication } from '../../src/usecases/withdraw-application.js';
import {
  ADMIN,
  ALICE,
  APPROVER,
  BOB,
  buy,
  type Harness,
  harness,
  issuedShop,
  pem,
} from '../support/usecase-harness.js';

/**
 * Issue 13: a renew request is evaluated again when it is approved, by the rule that offered
 * it. The certificate (shop-ov-2126.pem) expires 2127-03-01 08:00 in Asia/Shanghai: it is
 * outside the 30-natural-day window until 2127-01-29 ends, inside it from 2127-01-30 00:00,
 * expired from 2127-03-01 08:00. Each row moves the clock between the request and the decision.
 */
let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.cleanup();
});

const at = (local: string) => new Date(`${local}+08:00`);

interface Row {
  readonly name: string;
  readonly requestAt: string;
  readonly kind: 'enable_hosting' | 'renewal_purchase';
  readonly decideAt: string;
  /** `completed`, or `lapsed` with the reason's code. */
  readonly outcome: 'completed' | { readonly lapsed: string };
}

const ROWS: readonly Row[] = [
  {
    name: 'hosting asked and approved on day 31',
    requestAt: '2127-01-29T10:00:00',
    kind: 'enable_hosting',
    decideAt: '2127-01-29T23:59:59',
    outcome: 'completed',
  },
  {
    name: 'hosting asked on day 31, approved at the first instant of day 30',
    requestAt: '2127-01-29T10:00:00',
    kind: 'enable_hosting',
    decideAt: '2127-01-30T00:00:00',
    outcome: { lapsed: 'renew.window_began' },
  },
  {
    name: 'hosting asked on day 31, approved after expiry',
    requestAt: '2127-01-29T10:00:00',
    kind: 'enable_hosting',
    decideAt: '2127-03-02T10:00:00',
    outcome: { lapsed: 'renew.expired' },
  },
  {
    name: 'renewal purchase asked on day 1, approved just before expiry',
    requestAt: '2127-02-28T10:00:00',
    kind: 'renewal_purchase',
    decideAt: '2127-03-01T07:59:59',
    outcome: 'completed',
  },
  {
    name: 'renewal purchase asked on day 1, approved at the instant of expiry',
    requestAt: '2127-02-28T10:00:00',
    kind: 'renewal_purchase',
    decideAt: '2127-03-01T08:00:00',
    outcome: { lapsed: 'renew.expired' },
  },
];

describe('a renew request is evaluated again when it is approved', () => {
  it.each(ROWS)('$name', async (row) => {
    const id = await issuedShop(h.ctx);
    h.clock.set(at(row.requestAt));
    const requested = await requestRenewal(h.ctx, {
      certificateId: id,
      requesterId: ALICE,
      contact: { kind: 'existing', contactId: 'p1' },
    });
    if (!requested.ok) throw new Error(JSON.stringify(requested.refusal));
    expect(requested.value.application.kind).toBe(row.kind);
    const creditsBefore = await h.ctx.store.hostingCredits.get('web');
    h.events.events.length = 0;

    h.clock.set(at(row.decideAt));
    const decided = await decideApplication(h.ctx, {
      applicationId: requested.value.application.id,
      deciderId: APPROVER,
      decision: 'approve',
    });
    const cert = await h.ctx.store.certificates.get(id);
    if (row.outcome === 'completed') {
      expect(decided).toMatchObject({ ok: true, value: { application: { status: 'completed' } } });
      return;
    }
    // Nothing carried out: closed as lapsed with the reason, the instance free, no renewal made,
    // no hosting, the credits as they were; the requester is told (application_decided).
    expect(decided).toMatchObject({
      ok: true,
      value: {
        application: {
          status: 'lapsed',
          decidedBy: APPROVER,
          lapse: { code: row.outcome.lapsed },
        },
      },
    });
    expect(cert?.hosted).toBe(false);
    expect(cert?.renewalId).toBeUndefined();
    expect(cert?.openApplicationId).toBeUndefined();
    expect(await h.ctx.store.hostingCredits.get('web')).toEqual(creditsBefore);
    expect(h.events.events.map((e) => [e.type, 'decision' in e ? e.decision : ''])).toEqual([
      ['application_decided', 'lapsed'],
    ]);
    // A second click finds it decided.
    expect(
      await decideApplication(h.ctx, {
        applicationId: requested.value.application.id,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'decision.already_decided' } });
    // What Renew offers now is offered again (inside the window: the renewal purchase).
    if (row.outcome.lapsed === 'renew.window_began') {
      expect(await renewalOptions(h.ctx, id, ALICE)).toMatchObject({
        ok: true,
        value: { option: { kind: 'manual_renewal_purchase' } },
      });
    }
  });

  it('rejecting a renew request that enables hosting gives back no credit it never took', async () => {
    const id = await issuedShop(h.ctx);
    await recordPurchases(h.ctx, ADMIN, [{ kind: 'hosting_credits', team: 'web', count: 2 }]);
    const before = await h.ctx.store.hostingCredits.get('web');
    h.clock.set(at('2127-01-10T10:00:00'));
    const requested = await requestRenewal(h.ctx, {
      certificateId: id,
      requesterId: ALICE,
      contact: { kind: 'existing', contactId: 'p1' },
    });
    if (!requested.ok) throw new Error(JSON.stringify(requested.refusal));
    expect(requested.value.application).toMatchObject({ kind: 'enable_hosting', hosting: true });
    const rejected = await decideApplication(h.ctx, {
      applicationId: requested.value.application.id,
      deciderId: APPROVER,
      decision: 'reject',
      reason: 'not this year',
    });
    expect(rejected.ok).toBe(true);
    expect(await h.ctx.store.hostingCredits.get('web')).toEqual(before);
  });
});

describe('one renewal at a time per certificate', () => {
  const request = (id: string) =>
    requestRenewal(h.ctx, {
      certificateId: id,
      requesterId: ALICE,
      contact: { kind: 'existing', contactId: 'p1' },
    });

  it('a bought renewal is linked to its certificate: a second Renew points to it', async () => {
    const id = await issuedShop(h.ctx);
    h.clock.set(at('2127-02-10T10:00:00')); // 19 days left: renewal purchase
    const first = await request(id);
    if (!first.ok) throw new Error(JSON.stringify(first.refusal));
    const approved = await decideApplication(h.ctx, {
      applicationId: first.value.application.id,
      deciderId: APPROVER,
      decision: 'approve',
    });
    expect(approved).toMatchObject({ ok: true, value: { application: { status: 'completed' } } });
    const cert = await h.ctx.store.certificates.get(id);
    const renewalId = cert?.renewalId ?? '';
    expect(await h.ctx.store.certificates.get(renewalId)).toMatchObject({
      state: 'pending_application',
      renewalOf: id,
    });
    expect(cert?.hosted).toBe(false);
    const refusal = { code: 'renew.in_progress', params: { id, renewalId } };
    expect(await renewalOptions(h.ctx, id, ALICE)).toEqual({ ok: false, refusal });
    expect(await request(id)).toEqual({ ok: false, refusal });
  });

  it('two Renew requests at once: exactly one is recorded', async () => {
    const id = await issuedShop(h.ctx);
    h.clock.set(at('2127-02-10T10:00:00'));
    const results = await Promise.all(Array.from({ length: 5 }, () => request(id)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await h.ctx.store.applications.idsOfCertificate(id)).toHaveLength(2); // apply + 1
  });
});

describe('a managed renewal the CA refuses is no dead end', () => {
  it('falls back to what an unhosted certificate may do: reminders resume, a renewal purchase is offered', async () => {
    const refusing: CaRegistry = {
      providerFor: () => ({
        name: 'refusing',
        outcomes: 'polling',
        submit: async () => {
          throw new CaError('refusing', 'InvalidProduct: this product is no longer sold', false);
        },
      }),
    };
    await h.cleanup();
    h = await harness({ ca: refusing });
    const dispatcher = new RecordingDispatcher();
    const ctx = { ...h.ctx, dispatcher };
    const uploaded = await uploadCertificate(ctx, {
      pem: pem('shop-ov-2126.pem'),
      uploaderId: ALICE,
    });
    if (!uploaded.ok) throw new Error(JSON.stringify(uploaded.refusal));
    const id = uploaded.value.certificate.id;
    const hosting = await requestRenewal(ctx, {
      certificateId: id,
      requesterId: ALICE,
      contact: {
        kind: 'new',
        fields: { name: 'Li', email: 'li@example.com', phone: '+8613800000000' },
      },
    });
    if (!hosting.ok) throw new Error(JSON.stringify(hosting.refusal));
    await decideApplication(ctx, {
      applicationId: hosting.value.application.id,
      deciderId: APPROVER,
      decision: 'approve',
    });
    const hosted = await ctx.store.certificates.get(id);
    expect(hosted).toMatchObject({ hosted: true });

    // Day 19: the window; the CA refuses the activation for good.
    h.clock.set(at('2127-02-10T09:00:00'));
    expect(await runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS)).toMatchObject({ failures: 1 });
    expect([...dispatcher.sent.values()]).toEqual([
      {
        kind: 'escalation',
        cause: 'renewal_failed',
        certificateId: id,
        requesterId: ALICE,
        detail: 'InvalidProduct: this product is no longer sold',
      },
    ]);
    const after = await ctx.store.certificates.get(id);
    expect(after?.hosted).toBe(false);
    expect(after?.renewalId).toBeUndefined();
    const renewal = await ctx.store.certificates.get(hosted?.renewalId ?? '');
    expect(renewal).toMatchObject({ state: 'cancelled' });
    expect(renewal?.openApplicationId).toBeUndefined();
    const [renewalApp = ''] = await ctx.store.applications.idsOfCertificate(renewal?.id ?? '');
    expect(await ctx.store.applications.get(renewalApp)).toMatchObject({ status: 'withdrawn' });
    expect(await renewalOptions(ctx, id, ALICE)).toMatchObject({
      ok: true,
      value: { option: { kind: 'manual_renewal_purchase' } },
    });

    // The next check: the expiry ladder resumes for it (an unhosted certificate's reminder).
    dispatcher.sent.clear();
    h.clock.set(at('2127-02-11T09:00:00'));
    await runExpiryCheck(ctx, DEFAULT_REMINDER_DAYS);
    expect([...dispatcher.sent.values()]).toEqual([
      expect.objectContaining({ kind: 'expiry_reminder', userId: ALICE, certificateId: id }),
    ]);
    // And the renewal purchase goes through.
    const purchase = await requestRenewal(ctx, {
      certificateId: id,
      requesterId: ALICE,
      contact: { kind: 'existing', contactId: after?.contactId ?? '' },
    });
    if (!purchase.ok) throw new Error(JSON.stringify(purchase.refusal));
    expect(
      await decideApplication(ctx, {
        applicationId: purchase.value.application.id,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    ).toMatchObject({ ok: true, value: { application: { status: 'completed' } } });
  });
});

describe('withdrawing a request (/cert withdraw)', () => {
  const newContact = {
    kind: 'new',
    fields: { name: 'Han', email: 'han@example.com', phone: '+8613900000000' },
  } as const;

  async function applied(hosting: boolean) {
    const [id = ''] = await buy(h.ctx);
    const result = await applyForCertificate(h.ctx, {
      certificateId: id,
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: newContact,
      hosting,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.refusal));
    return { certId: id, appId: result.value.application.id };
  }

  it('waiting for approval: closed, the instance free, no credit held', async () => {
    await recordPurchases(h.ctx, ADMIN, [{ kind: 'hosting_credits', team: 'web', count: 1 }]);
    const { certId, appId } = await applied(true);
    expect(await h.ctx.store.hostingCredits.get('web')).toMatchObject({ purchased: 1, held: 0 });
    expect(await withdrawApplication(h.ctx, { applicationId: appId, actorId: BOB })).toMatchObject({
      ok: false,
      refusal: { code: 'withdraw.not_allowed' },
    });
    expect(
      await withdrawApplication(h.ctx, { applicationId: appId, actorId: ALICE }),
    ).toMatchObject({ ok: true, value: { application: { status: 'withdrawn' } } });
    expect(await h.ctx.store.hostingCredits.get('web')).toMatchObject({ purchased: 1, held: 0 });
    expect((await h.ctx.store.certificates.get(certId))?.openApplicationId).toBeUndefined();
    // Once is all: a second withdrawal, or an approval, finds it closed.
    expect(
      await withdrawApplication(h.ctx, { applicationId: appId, actorId: ALICE }),
    ).toMatchObject({ ok: false, refusal: { code: 'withdraw.too_late' } });
    expect(
      await decideApplication(h.ctx, {
        applicationId: appId,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'decision.already_decided' } });
  });

  it('with the CA: the instance goes back to pending application; issued is too late', async () => {
    const { certId, appId } = await applied(false);
    await decideApplication(h.ctx, {
      applicationId: appId,
      deciderId: APPROVER,
      decision: 'approve',
    });
    expect(await h.ctx.store.certificates.get(certId)).toMatchObject({ state: 'under_review' });
    expect(
      await withdrawApplication(h.ctx, { applicationId: appId, actorId: APPROVER }),
    ).toMatchObject({ ok: true });
    const cert = await h.ctx.store.certificates.get(certId);
    expect(cert).toMatchObject({ state: 'pending_application' });
    expect(cert?.caOrderId).toBeUndefined();
    // Applied for again, issued: too late to withdraw.
    const again = await applyForCertificate(h.ctx, {
      certificateId: certId,
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: { kind: 'existing', contactId: 'p1' },
      hosting: false,
    });
    if (!again.ok) throw new Error(JSON.stringify(again.refusal));
    const second = again.value.application.id;
    await decideApplication(h.ctx, {
      applicationId: second,
      deciderId: APPROVER,
      decision: 'approve',
    });
    await recordIssued(h.ctx, {
      applicationId: second,
      actor: APPROVER,
      pem: pem('shop-ov-2126.pem'),
    });
    expect(
      await withdrawApplication(h.ctx, { applicationId: second, actorId: ALICE }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'withdraw.too_late', params: { status: 'issued' } },
    });
  });

  it('a CA that does not let the order go: nothing changes', async () => {
    const sticky: CaRegistry = {
      providerFor: () => ({
        name: 'sticky',
        outcomes: 'polling',
        submit: async ({ application }) => ({ orderId: `o-${application.id}` }),
        withdraw: async () => {
          throw new CaError('sticky', 'OrderStatusInvalid: the order is being issued', false);
        },
      }),
    };
    await h.cleanup();
    h = await harness({ ca: sticky });
    const { certId, appId } = await applied(false);
    await decideApplication(h.ctx, {
      applicationId: appId,
      deciderId: APPROVER,
      decision: 'approve',
    });
    expect(
      await withdrawApplication(h.ctx, { applicationId: appId, actorId: ALICE }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'withdraw.ca_refused', params: { provider: 'sticky' } },
    });
    expect(await h.ctx.store.certificates.get(certId)).toMatchObject({
      state: 'under_review',
      openApplicationId: appId,
    });
    expect((await h.ctx.store.applications.get(appId))?.status).toBe('submitted');
  });
});
