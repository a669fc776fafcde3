import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applicableInstances,
  applyForCertificate,
} from '../../src/usecases/apply-for-certificate.js';
import { decideApplication, submitToCa } from '../../src/usecases/decide-application.js';
import { CaError, type CaRegistry } from '../../src/usecases/ports/index.js';
import { recordIssued, recordValidationFailed } from '../../src/usecases/record-ca-outcome.js';
import { recordPurchases } from '../../src/usecases/record-purchase.js';
import {
  ADMIN,
  ALICE,
  APPROVER,
  APPROVER2,
  BOB,
  buy,
  CAROL,
  type Harness,
  harness,
  pem,
} from '../support/usecase-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.cleanup();
});

const newContact = {
  kind: 'new',
  fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
} as const;
const apply = (
  certificateId: string,
  overrides: Partial<Parameters<typeof applyForCertificate>[1]> = {},
) =>
  applyForCertificate(h.ctx, {
    certificateId,
    requesterId: ALICE,
    domains: ['shop.example.com', 'www.shop.example.com'],
    validationMethod: 'dns',
    contact: newContact,
    hosting: false,
    ...overrides,
  });

describe('recording purchases', () => {
  it('is for admins and approvers only, and lands all records or none', async () => {
    expect(
      await recordPurchases(h.ctx, ALICE, [{ kind: 'hosting_credits', team: 'web', count: 1 }]),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'purchase.not_allowed' },
    });
    const ids = await buy(h.ctx, { quantity: 3 });
    expect(ids).toEqual(['c1', 'c2', 'c3']);
    expect((await h.ctx.store.certificates.get('c1'))?.state).toBe('pending_application');
    // An id already taken makes the whole batch fail: nothing of it is written.
    h.ctx.ids.next = () => 'c1';
    const again = await recordPurchases(h.ctx, ADMIN, [
      { kind: 'hosting_credits', team: 'web', count: 5 },
      {
        kind: 'instances',
        brand: 'X',
        validationType: 'OV',
        domainType: 'single',
        grade: 'g',
        validityYears: 1,
        domainQuota: 1,
        quantity: 1,
        team: 'web',
      },
    ]);
    expect(again).toMatchObject({ ok: false, refusal: { code: 'conflict.exists' } });
    expect((await h.ctx.store.hostingCredits.get('web')).purchased).toBe(0);
  });
});

describe('applying', () => {
  it('creates an application awaiting approval, with a new contact, holding the instance', async () => {
    const [id = ''] = await buy(h.ctx);
    expect(await applicableInstances(h.ctx, ALICE)).toMatchObject({
      instances: [{ id }],
      total: 1,
    });
    const result = await apply(id);
    expect(result).toMatchObject({
      ok: true,
      value: {
        application: {
          id: 'a1',
          status: 'awaiting_approval',
          domains: ['shop.example.com', 'www.shop.example.com'],
          contactId: 'p1',
        },
      },
    });
    expect((await h.ctx.store.certificates.get(id))?.openApplicationId).toBe('a1');
    expect(await applicableInstances(h.ctx, ALICE)).toEqual({ instances: [], total: 0 });
    expect((await h.ctx.store.contacts.listOfTeam('web')).map((c) => c.email)).toEqual([
      'li@example.com',
    ]);
    expect(h.events.events.map((e) => e.type)).toEqual(['approval_requested']);
  });

  it('refuses with a reason: unknown, other team, open request, method, domains, contact, credits', async () => {
    const [id = ''] = await buy(h.ctx);
    const [dv = ''] = await buy(h.ctx, { validationType: 'DV' });
    expect(await apply('nope')).toMatchObject({
      ok: false,
      refusal: { code: 'certificate.not_found' },
    });
    expect(await apply(id, { requesterId: CAROL })).toMatchObject({
      ok: false,
      refusal: { code: 'certificate.other_team' },
    });
    expect(await apply(dv, { validationMethod: 'email' })).toMatchObject({
      ok: false,
      refusal: { code: 'apply.validation_method' },
    });
    expect(
      await apply(id, { domains: ['a.example.com', 'b.example.com', 'c.example.com'] }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'domain.quota_exceeded', params: { quota: 2, count: 3 } },
    });
    expect(await apply(id, { domains: ['*.example.com'] })).toMatchObject({
      ok: false,
      refusal: { code: 'domain.wildcard_not_allowed' },
    });
    expect(await apply(id, { contact: { kind: 'existing', contactId: 'p9' } })).toMatchObject({
      ok: false,
      refusal: { code: 'contact.not_found' },
    });
    expect(
      await apply(id, {
        contact: { kind: 'new', fields: { name: 'x', email: 'bad', phone: '123456' } },
      }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'contact.invalid', params: { field: 'email' } },
    });
    expect(await apply(id, { hosting: true })).toMatchObject({
      ok: false,
      refusal: { code: 'hosting.no_credits' },
    });
    expect(await apply(id)).toMatchObject({ ok: true });
    expect(await apply(id, { contact: { kind: 'existing', contactId: 'p1' } })).toMatchObject({
      ok: false,
      refusal: { code: 'request.open' },
    });
  });

  it('asks for hosting without holding a credit; racing approvals: one holds the last, the other lapses', async () => {
    const [a = '', b = ''] = await buy(h.ctx, { quantity: 2 });
    await recordPurchases(h.ctx, ADMIN, [{ kind: 'hosting_credits', team: 'web', count: 1 }]);
    const requests = await Promise.all([
      apply(a, { hosting: true }),
      apply(b, {
        hosting: true,
        requesterId: BOB,
        contact: {
          kind: 'new',
          fields: { name: 'Han', email: 'han@example.com', phone: '+8613900000000' },
        },
      }),
    ]);
    expect(requests.every((r) => r.ok)).toBe(true);
    const credits = () => h.ctx.store.hostingCredits.get('web');
    expect(await credits()).toEqual({ team: 'web', purchased: 1, held: 0, spent: 0 });
    const decisions = await Promise.all(
      requests.map((r) =>
        decideApplication(h.ctx, {
          applicationId: r.ok ? r.value.application.id : '',
          deciderId: APPROVER,
          decision: 'approve',
        }),
      ),
    );
    const statuses = decisions.map((d) => (d.ok ? d.value.application.status : d.refusal.code));
    expect(statuses.sort()).toEqual(['lapsed', 'submitted']);
    const lapsed = decisions.find((d) => d.ok && d.value.application.status === 'lapsed');
    expect(lapsed).toMatchObject({
      value: { application: { lapse: { code: 'hosting.no_credits' } } },
    });
    expect(await credits()).toEqual({ team: 'web', purchased: 1, held: 1, spent: 0 });
  });
});

describe('deciding', () => {
  it('four-eyes: only approvers, never on their own request', async () => {
    const [id = ''] = await buy(h.ctx, { team: 'ops' });
    const own = await applyForCertificate(h.ctx, {
      certificateId: id,
      requesterId: APPROVER,
      domains: ['a.example.com'],
      validationMethod: 'dns',
      contact: newContact,
      hosting: false,
    });
    if (!own.ok) throw new Error('apply failed');
    expect(
      await decideApplication(h.ctx, {
        applicationId: 'a1',
        deciderId: APPROVER,
        decision: 'approve',
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'approval.own_request' } });
    expect(
      await decideApplication(h.ctx, {
        applicationId: 'a1',
        deciderId: ALICE,
        decision: 'approve',
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'approval.not_approver' } });
    expect(
      await decideApplication(h.ctx, {
        applicationId: 'a1',
        deciderId: APPROVER2,
        decision: 'approve',
      }),
    ).toMatchObject({ ok: true });
  });

  it('approving submits to the CA with SLA points; the instance goes under review', async () => {
    const [id = ''] = await buy(h.ctx);
    await apply(id);
    const result = await decideApplication(h.ctx, {
      applicationId: 'a1',
      deciderId: APPROVER,
      decision: 'approve',
    });
    expect(result).toMatchObject({
      ok: true,
      value: { application: { status: 'submitted', decidedBy: APPROVER } },
    });
    const app = await h.ctx.store.applications.get('a1');
    // 2126 has no holiday data: the points are computed Mon-Fri and marked as estimates.
    expect(app?.sla).toMatchObject({ submittedAt: h.clock.now().getTime(), estimated: true });
    expect(app?.sla?.remindAt).toBe(new Date('2126-06-05T10:00:00+08:00').getTime());
    expect(await h.ctx.store.certificates.get(id)).toMatchObject({
      state: 'under_review',
      caOrderId: 'manual-a1',
      domains: ['shop.example.com', 'www.shop.example.com'],
    });
    expect(h.events.events.map((e) => e.type)).toEqual([
      'approval_requested',
      'application_decided',
      'submitted_to_ca',
    ]);
  });

  it('a second click, or ten approvers at once, decide nothing twice and say who decided', async () => {
    const [id = ''] = await buy(h.ctx);
    await apply(id);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        decideApplication(h.ctx, {
          applicationId: 'a1',
          deciderId: i % 2 ? APPROVER : APPROVER2,
          decision: i % 3 ? 'approve' : 'reject',
          reason: 'no',
        }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok))
      expect(r).toMatchObject({ refusal: { code: 'decision.already_decided' } });
    const history = await h.ctx.store.audit.history('app', 'a1', 50);
    expect(history.filter((e) => e.action === 'approve' || e.action === 'reject')).toHaveLength(1);
    const again = await decideApplication(h.ctx, {
      applicationId: 'a1',
      deciderId: APPROVER,
      decision: 'approve',
    });
    const winner = await h.ctx.store.applications.get('a1');
    expect(again).toMatchObject({
      ok: false,
      refusal: { code: 'decision.already_decided', params: { by: winner?.decidedBy } },
    });
  });

  it('rejecting needs a reason and frees the instance, which held no credit', async () => {
    const [id = ''] = await buy(h.ctx);
    await recordPurchases(h.ctx, ADMIN, [{ kind: 'hosting_credits', team: 'web', count: 1 }]);
    await apply(id, { hosting: true });
    expect(
      await decideApplication(h.ctx, {
        applicationId: 'a1',
        deciderId: APPROVER,
        decision: 'reject',
        reason: '  ',
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'decision.reason_required' } });
    expect(
      await decideApplication(h.ctx, {
        applicationId: 'a1',
        deciderId: APPROVER,
        decision: 'reject',
        reason: 'wrong team',
      }),
    ).toMatchObject({
      ok: true,
      value: { application: { status: 'rejected', decisionReason: 'wrong team' } },
    });
    expect((await h.ctx.store.certificates.get(id))?.openApplicationId).toBeUndefined();
    // Nothing was held: a credit is held at approval.
    expect(await h.ctx.store.hostingCredits.get('web')).toMatchObject({ purchased: 1, held: 0 });
    expect((await h.ctx.store.audit.history('app', 'a1', 10)).at(-1)).toMatchObject({
      action: 'reject',
      actor: APPROVER,
      reason: 'wrong team',
      from: 'awaiting_approval',
      to: 'rejected',
    });
  });

  it('a CA failure leaves the application approved and changes nothing; a retry submits it', async () => {
    let fail = true;
    const flaky: CaRegistry = {
      providerFor: () => ({
        name: 'flaky',
        outcomes: 'polling',
        submit: async ({ application }) => {
          if (fail) throw new CaError('flaky', 'Throttling: too many requests', true);
          return { orderId: `o-${application.id}` };
        },
      }),
    };
    const h2 = await harness({ ca: flaky });
    try {
      const [id = ''] = await buy(h2.ctx);
      await applyForCertificate(h2.ctx, {
        certificateId: id,
        requesterId: ALICE,
        domains: ['shop.example.com'],
        validationMethod: 'dns',
        contact: newContact,
        hosting: false,
      });
      const result = await decideApplication(h2.ctx, {
        applicationId: 'a1',
        deciderId: APPROVER,
        decision: 'approve',
      });
      expect(result).toMatchObject({
        ok: true,
        value: { application: { status: 'approved' }, caError: 'Throttling: too many requests' },
      });
      expect((await h2.ctx.store.certificates.get(id))?.state).toBe('pending_application');
      expect(h2.events.events.at(-1)).toMatchObject({ type: 'ca_submission_failed' });
      fail = false;
      expect(await submitToCa(h2.ctx, 'a1', 'system')).toMatchObject({
        ok: true,
        value: { application: { status: 'submitted' } },
      });
      expect((await h2.ctx.store.certificates.get(id))?.caOrderId).toBe('o-a1');
    } finally {
      await h2.cleanup();
    }
  });
});

describe('recording the CA outcome', () => {
  async function submitted(hosting = false) {
    const [id = ''] = await buy(h.ctx);
    if (hosting)
      await recordPurchases(h.ctx, ADMIN, [{ kind: 'hosting_credits', team: 'web', count: 1 }]);
    await apply(id, { hosting });
    await decideApplication(h.ctx, {
      applicationId: 'a1',
      deciderId: APPROVER,
      decision: 'approve',
    });
    return id;
  }

  it('accepts an issued PEM covering the bound domains; a hosted one gets its not-activated renewal', async () => {
    const id = await submitted(true);
    expect(
      await recordIssued(h.ctx, {
        applicationId: 'a1',
        actor: ALICE,
        pem: pem('shop-ov-2126.pem'),
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'outcome.not_allowed' } });
    const result = await recordIssued(h.ctx, {
      applicationId: 'a1',
      actor: APPROVER,
      pem: pem('shop-ov-2126.pem'),
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        certificate: { state: 'issued', hosted: true, renewalId: 'c2' },
        renewal: { id: 'c2', state: 'not_activated', renewalOf: id },
      },
    });
    const cert = await h.ctx.store.certificates.get(id);
    expect(cert?.notAfter).toBe(Date.parse('2127-03-01T00:00:00Z'));
    expect(cert?.openApplicationId).toBeUndefined();
    expect((await h.ctx.store.applications.get('a1'))?.status).toBe('issued');
    expect(
      await h.ctx.store.applications.idsDueForBreach(Number.MAX_SAFE_INTEGER, {
        offset: 0,
        limit: 5,
      }),
    ).toEqual([]);
    expect(
      await recordIssued(h.ctx, {
        applicationId: 'a1',
        actor: APPROVER,
        pem: pem('shop-ov-2126.pem'),
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'outcome.not_under_review' } });
  });

  it('refuses a certificate that does not cover the bound domains, or a private key', async () => {
    await submitted();
    expect(
      await recordIssued(h.ctx, {
        applicationId: 'a1',
        actor: APPROVER,
        pem: pem('wildcard-ov-2126.pem'),
      }),
    ).toMatchObject({
      ok: false,
      refusal: {
        code: 'outcome.domains_not_covered',
        params: { domains: 'www.shop.example.com', count: 1 },
      },
    });
    const withKey = `${pem('shop-ov-2126.pem')}\n-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n`;
    expect(
      await recordIssued(h.ctx, { applicationId: 'a1', actor: APPROVER, pem: withKey }),
    ).toMatchObject({ ok: false, refusal: { code: 'pem.private_key' } });
    expect((await h.ctx.store.applications.get('a1'))?.status).toBe('submitted');
  });

  it('validation failed: the instance can be applied for again', async () => {
    const id = await submitted();
    const result = await recordValidationFailed(h.ctx, {
      applicationId: 'a1',
      actor: APPROVER,
      reason: 'Domain verification email not answered',
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        certificate: { state: 'validation_failed' },
        application: { status: 'validation_failed' },
      },
    });
    expect(h.events.events.at(-1)).toMatchObject({
      type: 'validation_failed',
      reason: 'Domain verification email not answered',
    });
    expect(await apply(id, { contact: { kind: 'existing', contactId: 'p1' } })).toMatchObject({
      ok: true,
    });
  });
});
