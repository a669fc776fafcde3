import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type AlibabaCasProvider,
  createAlibabaCasProvider,
} from '../../src/ca/alibaba-cas-provider.js';
import { manualProvider } from '../../src/ca/manual-provider.js';
import { routedRegistry } from '../../src/ca/routed-registry.js';
import { runCaPoll } from '../../src/jobs/ca-poll.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import {
  CA_ERROR_ESCALATE_AFTER_MS,
  caLedger,
  decideApplication,
  purchaseRenewalAtCa,
  renewalOrderLedger,
} from '../../src/usecases/decide-application.js';
import {
  followCaOrder,
  ordersToPoll,
  renewalsToRetry,
} from '../../src/usecases/follow-ca-order.js';
import { caseClosedKey } from '../../src/usecases/renewal-failure.js';
import { requestRenewal } from '../../src/usecases/request-renewal.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import { FakeAlibabaCas } from '../support/fake-alibaba-cas.js';
import {
  ALICE,
  APPROVER,
  APPROVER2,
  buy,
  type Harness,
  harness,
  pem,
} from '../support/usecase-harness.js';

/**
 * A manual renewal purchase (续费购买) of a certificate routed to Alibaba Cloud CAS buys the
 * renewal there (RenewCertificateOrderForPackageRequest), once, and the new order is the one the
 * renewal instance's application is submitted on and the CA poll follows.
 */

const KEY_ID = 'LTAI5tFakeKeyId0005';
const SECRET = 'FakeSecretValue0123456789abcdef';
const PRODUCT = 'digicert-ov-multi-standard';
const RENEW = 'RenewCertificateOrderForPackageRequest';
const CREATE = 'CreateCertificateForPackageRequest';
const IN_THE_WINDOW = new Date('2127-02-10T10:00:00+08:00');

const logLines: string[] = [];
const logger = {
  debug: (...a: unknown[]) => logLines.push(`debug ${a.join(' ')}`),
  info: (...a: unknown[]) => logLines.push(`info ${a.join(' ')}`),
  warn: (...a: unknown[]) => logLines.push(`warn ${a.join(' ')}`),
  error: (...a: unknown[]) => logLines.push(`error ${a.join(' ')}`),
  setLevel() {},
  getLevel: () => 'debug',
  setName() {},
} as never;

let fake: FakeAlibabaCas;
let cas: AlibabaCasProvider;
let h: Harness;

beforeAll(async () => {
  fake = await FakeAlibabaCas.start(KEY_ID);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(async () => {
  fake.reset();
  logLines.length = 0;
  cas = createAlibabaCasProvider(
    {
      accessKeyId: KEY_ID,
      accessKeySecret: SECRET,
      endpoint: fake.endpoint,
      productCodes: { 'digicert/OV/multi/standard': PRODUCT },
    },
    logger,
    {
      connectTimeoutMs: 500,
      readTimeoutMs: 500,
      qps: { RenewCertificateOrderForPackageRequest: 1000 },
    },
  );
  h = await harness({
    ca: routedRegistry({ DigiCert: 'alibaba-cas', '*': 'manual' }, [manualProvider, cas]),
  });
});
afterEach(async () => {
  await h.cleanup();
});

const contact = {
  kind: 'new',
  fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
} as const;

const approve = (applicationId: string, deciderId = APPROVER) =>
  decideApplication(h.ctx, { applicationId, deciderId, decision: 'approve' });

/** A DigiCert OV certificate issued through CAS order 100001, expiring 2127-03-01. */
async function issuedAtCas(): Promise<{ certId: string; orderId: string }> {
  const [certId = ''] = await buy(h.ctx);
  const applied = await applyForCertificate(h.ctx, {
    certificateId: certId,
    requesterId: ALICE,
    domains: ['shop.example.com'],
    validationMethod: 'dns',
    contact,
    hosting: false,
  });
  const appId = applied.ok ? applied.value.application.id : '';
  expect(await approve(appId)).toMatchObject({
    ok: true,
    value: { application: { status: 'submitted' } },
  });
  const orderId = (await h.ctx.store.certificates.get(certId))?.caOrderId ?? '';
  expect(orderId).toBe('100001');
  fake.script(orderId, { Type: 'certificate', Certificate: pem('shop-ov-2126.pem') });
  expect(await followCaOrder(h.ctx, appId, { verify: false })).toMatchObject({
    ok: true,
    value: { kind: 'issued' },
  });
  fake.orderRows = [{ OrderId: Number(orderId), Status: 'WILLEXPIRED' }];
  h.clock.set(IN_THE_WINDOW);
  return { certId, orderId };
}

async function renewalRequested(certId: string): Promise<string> {
  const request = await requestRenewal(h.ctx, {
    certificateId: certId,
    requesterId: ALICE,
    contact: { kind: 'existing', contactId: 'p1' },
  });
  expect(request).toMatchObject({ ok: true, value: { application: { kind: 'renewal_purchase' } } });
  return request.ok ? request.value.application.id : '';
}

const renewalOf = async (certId: string) => {
  const ids = await h.ctx.store.certificates.idsInState('pending_application');
  const certs = await h.ctx.store.certificates.getMany(ids);
  return certs.find((c) => c.renewalOf === certId);
};

const failures = () => h.events.events.filter((e) => e.type === 'ca_submission_failed');

describe('renewal purchase of a CAS certificate', () => {
  it('buys the renewal at CAS once, however often approve is clicked, and keeps the new order on the renewal instance', async () => {
    const { certId, orderId } = await issuedAtCas();
    const appId = await renewalRequested(certId);
    // Two approvers at once, and a double click.
    const decided = await Promise.all([approve(appId), approve(appId, APPROVER2), approve(appId)]);
    expect(decided.filter((d) => d.ok)).toHaveLength(1);
    expect(decided.filter((d) => !d.ok)).toEqual([
      expect.objectContaining({
        refusal: expect.objectContaining({ code: 'decision.already_decided' }),
      }),
      expect.objectContaining({
        refusal: expect.objectContaining({ code: 'decision.already_decided' }),
      }),
    ]);
    // And a re-run of the purchase itself.
    expect(await purchaseRenewalAtCa(h.ctx, appId, APPROVER)).toMatchObject({
      ok: false,
      refusal: { code: 'renewal.not_approved' },
    });
    expect(fake.callsOf(RENEW).map((c) => c.params.OrderId)).toEqual([orderId]);

    const renewal = await renewalOf(certId);
    expect(renewal).toMatchObject({
      state: 'pending_application',
      source: 'renewal',
      caOrderId: '100002',
      domains: ['shop.example.com'],
    });
    expect(await h.ctx.store.applications.get(appId)).toMatchObject({ status: 'completed' });
    expect((await h.ctx.store.certificates.get(certId))?.openApplicationId).toBeUndefined();
    expect(h.events.events.filter((e) => e.type === 'renewal_purchased')).toEqual([
      expect.objectContaining({ renewal: expect.objectContaining({ caOrderId: '100002' }) }),
    ]);
    expect(await renewalsToRetry(h.ctx)).toEqual([]);
  });

  it('bought for a certificate whose managed renewal failed: the failure is cleared and support’s case closed, once', async () => {
    const { certId } = await issuedAtCas();
    const failure = {
      kind: 'refused',
      at: IN_THE_WINDOW.getTime(),
      reason: 'no longer sold',
    } as const;
    const current = await h.ctx.store.certificates.get(certId);
    if (!current) throw new Error('gone');
    // As the fallback from hosting leaves it (written here directly).
    await h.ctx.store.commit((tx) =>
      tx.updateCertificate(
        current,
        { ...current, renewalFailure: failure },
        { actor: 'test', at: failure.at, action: 'hosting_refused' },
      ),
    );
    const appId = await renewalRequested(certId);
    await Promise.all([approve(appId), approve(appId)]);
    expect((await h.ctx.store.certificates.get(certId))?.renewalFailure).toBeUndefined();
    expect([...h.dispatcher.sent.entries()]).toEqual([
      [
        caseClosedKey(certId, failure),
        {
          kind: 'case_closed',
          certificateId: certId,
          cause: 'renewal_purchase_approved',
          by: APPROVER,
        },
      ],
    ]);
  });

  it('submits the renewal instance on the renewed order (no new order) and the CA poll follows it to issue', async () => {
    const { certId } = await issuedAtCas();
    await approve(await renewalRequested(certId));
    const renewal = await renewalOf(certId);
    const creates = fake.callsOf(CREATE).length;

    const applied = await applyForCertificate(h.ctx, {
      certificateId: renewal?.id ?? '',
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: { kind: 'existing', contactId: 'p1' },
      hosting: false,
    });
    const appId = applied.ok ? applied.value.application.id : '';
    expect(await approve(appId)).toMatchObject({
      ok: true,
      value: { application: { status: 'submitted' } },
    });
    expect(fake.callsOf(CREATE)).toHaveLength(creates);
    expect(await h.ctx.store.certificates.get(renewal?.id ?? '')).toMatchObject({
      state: 'under_review',
      caOrderId: '100002',
    });
    // The console step the API cannot take reaches support with the submission.
    const submitted = h.events.events.find(
      (e) => e.type === 'submitted_to_ca' && e.application.id === appId,
    );
    expect(submitted).toMatchObject({
      caActionNeeded: expect.stringMatching(
        /renewal order 100002 is pending application.*submit its application in the CAS console \(names: shop\.example\.com\)/,
      ),
    });
    expect(await ordersToPoll(h.ctx)).toEqual([appId]);

    // Submitted in the console: the poll hands the DNS record to the requester, then records the issue.
    fake.script(
      '100002',
      {
        Type: 'domain_verify',
        ValidateType: 'DNS',
        RecordDomain: '_dnsauth',
        RecordType: 'TXT',
        RecordValue: 'renewed-dnsauth',
      },
      { Type: 'certificate', Certificate: pem('shop-ov-renewed-2127.pem') },
    );
    expect(await runCaPoll(h.ctx, logger)).toMatchObject({ polled: 1, waiting: 1 });
    expect(
      h.events.events.filter((e) => e.type === 'ca_challenges' && e.application.id === appId),
    ).toEqual([
      expect.objectContaining({
        challenges: [
          expect.objectContaining({ name: '_dnsauth.shop.example.com', value: 'renewed-dnsauth' }),
        ],
      }),
    ]);
    expect(await runCaPoll(h.ctx, logger)).toMatchObject({ polled: 1, issued: 1 });
    expect(await h.ctx.store.certificates.get(certId)).toMatchObject({ state: 'replaced' });
    expect(await h.ctx.store.certificates.get(renewal?.id ?? '')).toMatchObject({
      state: 'issued',
    });
    expect(fake.callsOf(CREATE)).toHaveLength(creates);
  });

  it('refuses to submit the renewed order for other names: the application stays approved', async () => {
    const { certId } = await issuedAtCas();
    await approve(await renewalRequested(certId));
    const renewal = await renewalOf(certId);
    const applied = await applyForCertificate(h.ctx, {
      certificateId: renewal?.id ?? '',
      requesterId: ALICE,
      domains: ['other.example.com'],
      validationMethod: 'dns',
      contact: { kind: 'existing', contactId: 'p1' },
      hosting: false,
    });
    const appId = applied.ok ? applied.value.application.id : '';
    const decided = await approve(appId);
    expect(decided).toMatchObject({ ok: true, value: { application: { status: 'approved' } } });
    expect(decided.ok && decided.value.caError).toContain('keeps the domain names');
    expect(await h.ctx.store.certificates.get(renewal?.id ?? '')).toMatchObject({
      state: 'pending_application',
      caOrderId: '100002',
    });
    expect(fake.callsOf(CREATE)).toHaveLength(1);
  });

  it('a CAS refusal changes nothing, is told once, retried by the poll, escalated once if it persists', async () => {
    const { certId } = await issuedAtCas();
    const appId = await renewalRequested(certId);
    const before = await h.ctx.store.certificates.get(certId);
    fake.failNext(
      RENEW,
      {
        status: 400,
        code: 'Throttling.User',
        message: 'Request was denied due to user flow control.',
        retryAfterMs: 10,
      },
      3,
    );

    const decided = await approve(appId);
    expect(decided).toMatchObject({ ok: true, value: { application: { status: 'approved' } } });
    expect(decided.ok && decided.value.caError).toContain('throttling');
    expect(await h.ctx.store.certificates.get(certId)).toEqual(before);
    expect(await renewalOf(certId)).toBeUndefined();
    expect(failures()).toHaveLength(1);
    expect(failures()[0]).toMatchObject({ application: { id: appId, status: 'approved' } });
    expect(await renewalsToRetry(h.ctx)).toEqual([appId]);

    // The poll asks again: still refused, nothing new told.
    h.clock.advance(5 * 60 * 1000);
    expect(await runCaPoll(h.ctx, logger)).toMatchObject({ renewals: { retried: 1, bought: 0 } });
    expect(failures()).toHaveLength(1);
    // Past the escalation point: support hears once more, once.
    h.clock.advance(CA_ERROR_ESCALATE_AFTER_MS);
    await runCaPoll(h.ctx, logger);
    expect(failures()).toHaveLength(2);
    expect(fake.callsOf(RENEW)).toHaveLength(3);

    // CAS sells it now: bought once, the error clock stops.
    expect(await runCaPoll(h.ctx, logger)).toMatchObject({ renewals: { retried: 1, bought: 1 } });
    expect(fake.callsOf(RENEW)).toHaveLength(4);
    const app = await h.ctx.store.applications.get(appId);
    expect(app).toMatchObject({ status: 'completed' });
    expect(app?.caErrorSince).toBeUndefined();
    expect(await renewalOf(certId)).toMatchObject({ caOrderId: '100002' });
    expect(await runCaPoll(h.ctx, logger)).not.toHaveProperty('renewals');
    expect(fake.callsOf(RENEW)).toHaveLength(4);
  });

  it('two retries at once buy once', async () => {
    const { certId } = await issuedAtCas();
    const appId = await renewalRequested(certId);
    fake.failNext(RENEW, { status: 503, code: 'ServiceUnavailable' });
    await approve(appId);
    const retried = await Promise.all([
      purchaseRenewalAtCa(h.ctx, appId, 'certops'),
      purchaseRenewalAtCa(h.ctx, appId, 'certops'),
    ]);
    expect(retried.filter((r) => r.ok)).toHaveLength(1);
    expect(retried.filter((r) => !r.ok)).toEqual([
      expect.objectContaining({
        refusal: expect.objectContaining({
          code: expect.stringMatching(/^renewal\.(unsettled|not_approved)$/),
        }),
      }),
    ]);
    expect(fake.callsOf(RENEW)).toHaveLength(2);
    expect(await renewalOf(certId)).toMatchObject({ caOrderId: '100002' });
  });

  it('a call CAS never answers is not repeated: it may have bought the renewal', async () => {
    const { certId } = await issuedAtCas();
    const appId = await renewalRequested(certId);
    fake.stallNext(RENEW);
    const decided = await approve(appId);
    expect(decided).toMatchObject({ ok: true, value: { application: { status: 'approved' } } });
    expect(decided.ok && decided.value.caError).toContain('will not ask again');
    expect(failures()).toHaveLength(1);
    expect(await renewalsToRetry(h.ctx)).toEqual([]);
    expect(await purchaseRenewalAtCa(h.ctx, appId, 'certops')).toMatchObject({
      ok: false,
      refusal: { code: 'renewal.unsettled' },
    });
    await runCaPoll(h.ctx, logger);
    expect(fake.callsOf(RENEW)).toHaveLength(1);
    // Claimed per certificate and notAfter: whichever request asks, it is bought once.
    const cert = await h.ctx.store.certificates.get(certId);
    expect(
      Object.keys(await h.ctx.store.ledger.entries(renewalOrderLedger(cert ?? { id: certId }))),
    ).toEqual(['renewal-order:1']);
    expect(await h.ctx.store.ledger.entries(caLedger(appId))).toEqual({});
  });

  it('a certificate without a CAS order (uploaded) is renewed bot-side, as before', async () => {
    const all = await harness({
      ca: routedRegistry({ '*': 'alibaba-cas' }, [manualProvider, cas]),
    });
    try {
      const uploaded = await uploadCertificate(all.ctx, {
        pem: pem('shop-ov-2126.pem'),
        uploaderId: ALICE,
      });
      const certId = uploaded.ok ? uploaded.value.certificate.id : '';
      all.clock.set(IN_THE_WINDOW);
      const request = await requestRenewal(all.ctx, {
        certificateId: certId,
        requesterId: ALICE,
        contact,
      });
      const appId = request.ok ? request.value.application.id : '';
      expect(
        await decideApplication(all.ctx, {
          applicationId: appId,
          deciderId: APPROVER,
          decision: 'approve',
        }),
      ).toMatchObject({ ok: true, value: { application: { status: 'completed' } } });
      const renewed = all.events.events.find((e) => e.type === 'renewal_purchased');
      expect(renewed).toMatchObject({
        renewal: { state: 'pending_application', source: 'renewal' },
      });
      expect(renewed?.type === 'renewal_purchased' && renewed.renewal.caOrderId).toBeUndefined();
      expect(fake.callsOf(RENEW)).toHaveLength(0);
    } finally {
      await all.cleanup();
    }
  });
});
