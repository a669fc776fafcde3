import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { certificateStatus, listCertificates } from '../../src/usecases/queries.js';
import { recordIssued } from '../../src/usecases/record-ca-outcome.js';
import { combineCandidates, requestCombination } from '../../src/usecases/request-combination.js';
import { renewalOptions, requestRenewal } from '../../src/usecases/request-renewal.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import {
  ALICE,
  APPROVER,
  BOB,
  buy,
  CAROL,
  type Harness,
  harness,
  issuedShop,
  pem,
} from '../support/usecase-harness.js';

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.cleanup();
});

const contact = {
  kind: 'new',
  fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
} as const;

describe('renewing', () => {
  it('more than 30 days before expiry: enable hosting with a not-activated renewal of exactly the same spec', async () => {
    const id = await issuedShop(h.ctx);
    expect(await renewalOptions(h.ctx, id, ALICE)).toMatchObject({
      ok: true,
      value: { option: { kind: 'enable_hosting' } },
    });
    const request = await requestRenewal(h.ctx, {
      certificateId: id,
      requesterId: BOB,
      contact: { kind: 'existing', contactId: 'p1' },
    });
    expect(request).toMatchObject({
      ok: true,
      value: {
        application: { kind: 'enable_hosting', status: 'awaiting_approval', hosting: true },
      },
    });
    const appId = request.ok ? request.value.application.id : '';
    expect(
      await decideApplication(h.ctx, {
        applicationId: appId,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    ).toMatchObject({ ok: true, value: { application: { status: 'completed' } } });
    const cert = await h.ctx.store.certificates.get(id);
    expect(cert).toMatchObject({ state: 'issued', hosted: true, contactId: 'p1' });
    const renewal = await h.ctx.store.certificates.get(cert?.renewalId ?? '');
    expect(renewal).toMatchObject({
      state: 'not_activated',
      renewalOf: id,
      spec: cert?.spec,
      source: 'renewal',
    });
    expect(await renewalOptions(h.ctx, id, ALICE)).toMatchObject({
      ok: true,
      value: { option: { kind: 'already_hosted' } },
    });
    expect(
      await requestRenewal(h.ctx, {
        certificateId: id,
        requesterId: BOB,
        contact: { kind: 'existing', contactId: 'p1' },
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'renew.already_hosted' } });
    // In the window a hosted certificate renews itself.
    h.clock.set(new Date('2127-02-10T10:00:00+08:00'));
    expect(
      await requestRenewal(h.ctx, {
        certificateId: id,
        requesterId: BOB,
        contact: { kind: 'existing', contactId: 'p1' },
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'renew.automatic' } });
  });

  it('within 30 days, unhosted: a manual renewal purchase creates a new instance to apply for; its issue replaces the original', async () => {
    const id = await issuedShop(h.ctx);
    h.clock.set(new Date('2127-02-10T10:00:00+08:00'));
    const request = await requestRenewal(h.ctx, {
      certificateId: id,
      requesterId: ALICE,
      contact: { kind: 'existing', contactId: 'p1' },
    });
    expect(request).toMatchObject({
      ok: true,
      value: { application: { kind: 'renewal_purchase', hosting: false } },
    });
    await decideApplication(h.ctx, {
      applicationId: request.ok ? request.value.application.id : '',
      deciderId: APPROVER,
      decision: 'approve',
    });
    const [renewalId = ''] = (
      await h.ctx.store.certificates.idsInState('pending_application')
    ).filter((c) => c !== id);
    expect(await h.ctx.store.certificates.get(renewalId)).toMatchObject({
      renewalOf: id,
      source: 'renewal',
      spec: (await h.ctx.store.certificates.get(id))?.spec,
    });
    await applyForCertificate(h.ctx, {
      certificateId: renewalId,
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact: { kind: 'existing', contactId: 'p1' },
      hosting: false,
    });
    const [app = ''] = await h.ctx.store.applications.idsOfCertificate(renewalId);
    await decideApplication(h.ctx, {
      applicationId: app,
      deciderId: APPROVER,
      decision: 'approve',
    });
    const issued = await recordIssued(h.ctx, {
      applicationId: app,
      actor: APPROVER,
      pem: pem('shop-ov-renewed-2127.pem'),
    });
    expect(issued).toMatchObject({ ok: true, value: { replaced: { id, state: 'replaced' } } });
    // The replaced certificate leaves the expiry watch; the renewal takes its place.
    expect(
      await h.ctx.store.certificates.idsExpiringBetween(0, Number.MAX_SAFE_INTEGER, {
        offset: 0,
        limit: 10,
      }),
    ).toEqual([renewalId]);
  });

  it('explains why there is nothing to renew', async () => {
    const [pending = ''] = await buy(h.ctx);
    expect(
      await requestRenewal(h.ctx, { certificateId: pending, requesterId: ALICE, contact }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'renew.not_live', params: { state: 'pending_application' } },
    });
    expect(
      await requestRenewal(h.ctx, { certificateId: 'nope', requesterId: ALICE, contact }),
    ).toMatchObject({ ok: false, refusal: { code: 'certificate.not_found' } });
    const id = await issuedShop(h.ctx);
    expect(
      await requestRenewal(h.ctx, { certificateId: id, requesterId: CAROL, contact }),
    ).toMatchObject({ ok: false, refusal: { code: 'certificate.other_team' } });
    h.clock.set(new Date('2127-03-02T10:00:00+08:00'));
    expect(
      await requestRenewal(h.ctx, { certificateId: id, requesterId: ALICE, contact }),
    ).toMatchObject({ ok: false, refusal: { code: 'renew.expired' } });
  });
});

describe('combining', () => {
  it('offers only eligible instances, explains the rest, and on approval creates cas-merge with the summed quota', async () => {
    const [a = '', b = '', c = ''] = await buy(h.ctx, { quantity: 3, domainQuota: 2 });
    const [gs = ''] = await buy(h.ctx, { brand: 'GlobalSign' });
    const [dv = ''] = await buy(h.ctx, { validationType: 'DV' });
    const [twoYears = ''] = await buy(h.ctx, { validityYears: 2 });
    const candidates = await combineCandidates(h.ctx, a, ALICE);
    if (!candidates.ok) throw new Error('no candidates');
    expect(candidates.value.eligible.map((x) => x.id).sort()).toEqual([b, c].sort());
    const reasons = Object.fromEntries(
      candidates.value.ineligible.map((x) => [x.certificate.id, x.reasons.map((r) => r.code)]),
    );
    expect(reasons[gs]).toEqual(['combine.brand_mismatch']);
    expect(reasons[dv]).toEqual(['combine.not_ov_ev', 'combine.type_mismatch']);
    expect(reasons[twoYears]).toEqual(['combine.validity']);

    expect(
      await requestCombination(h.ctx, {
        certificateId: a,
        requesterId: ALICE,
        combineWith: [b, c],
        confirmedNoRefund: false,
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'combine.not_confirmed' } });
    expect(
      await requestCombination(h.ctx, {
        certificateId: a,
        requesterId: ALICE,
        combineWith: [gs],
        confirmedNoRefund: true,
      }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'combine.candidate_ineligible', params: { id: gs } },
    });
    const request = await requestCombination(h.ctx, {
      certificateId: a,
      requesterId: ALICE,
      combineWith: [b, c],
      confirmedNoRefund: true,
    });
    expect(request).toMatchObject({
      ok: true,
      value: { domainQuota: 6, application: { kind: 'combine', combineWith: [b, c] } },
    });
    // While the request is open, none of the three can be applied for or combined elsewhere.
    expect(
      await applyForCertificate(h.ctx, {
        certificateId: b,
        requesterId: ALICE,
        domains: ['x.example.com'],
        validationMethod: 'dns',
        contact,
        hosting: false,
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'request.open' } });

    const appId = request.ok ? request.value.application.id : '';
    expect(
      await decideApplication(h.ctx, {
        applicationId: appId,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    ).toMatchObject({ ok: true });
    const merged = await h.ctx.store.certificates.getMany([a, b, c]);
    expect(merged.map((m) => m.state)).toEqual(['merged', 'merged', 'merged']);
    const combinedId = merged[0]?.mergedInto ?? '';
    expect(await h.ctx.store.certificates.get(combinedId)).toMatchObject({
      name: `cas-merge-${combinedId}`,
      domainQuota: 6,
      state: 'pending_application',
      validityYears: 1,
      combinedFrom: [a, b, c],
      spec: { brand: 'DigiCert', validationType: 'OV', domainType: 'multi' },
    });
    expect(merged.every((m) => m.openApplicationId === undefined)).toBe(true);
  });

  it('rejecting a combination frees every instance it held', async () => {
    const [a = '', b = ''] = await buy(h.ctx, { quantity: 2 });
    const request = await requestCombination(h.ctx, {
      certificateId: a,
      requesterId: ALICE,
      combineWith: [b],
      confirmedNoRefund: true,
    });
    await decideApplication(h.ctx, {
      applicationId: request.ok ? request.value.application.id : '',
      deciderId: APPROVER,
      decision: 'reject',
      reason: 'not now',
    });
    const [ca, cb] = await h.ctx.store.certificates.getMany([a, b]);
    expect([ca?.openApplicationId, cb?.openApplicationId]).toEqual([undefined, undefined]);
    expect([ca?.state, cb?.state]).toEqual(['pending_application', 'pending_application']);
  });

  it('refuses a current instance that cannot be combined', async () => {
    const [dv = ''] = await buy(h.ctx, { validationType: 'DV' });
    expect(await combineCandidates(h.ctx, dv, ALICE)).toMatchObject({
      ok: false,
      refusal: { code: 'combine.not_ov_ev' },
    });
  });
});

describe('uploading', () => {
  it('tracks an existing certificate as uploaded, with its public facts only', async () => {
    const result = await uploadCertificate(h.ctx, {
      pem: pem('shop-ov-2126.pem'),
      uploaderId: ALICE,
      grade: 'pro',
    });
    expect(result).toMatchObject({
      ok: true,
      value: {
        certificate: {
          state: 'uploaded',
          source: 'uploaded',
          domains: ['shop.example.com', 'www.shop.example.com'],
          team: 'web',
          spec: { validationType: 'OV', domainType: 'multi', grade: 'pro' },
        },
      },
    });
    const id = result.ok ? result.value.certificate.id : '';
    const raw = await h.redis.redis.hgetall(`${h.redis.prefix}:cert:${id}`);
    expect(JSON.stringify(raw)).not.toContain('BEGIN CERTIFICATE');
    expect(
      await uploadCertificate(h.ctx, { pem: pem('shop-ov-2126.pem'), uploaderId: BOB }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'certificate.already_tracked', params: { id } },
    });
  });

  it('refuses a private key anywhere, and stores nothing', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(
      await uploadCertificate(h.ctx, {
        pem: `${pem('shop-ov-2126.pem')}\n${key}`,
        uploaderId: ALICE,
      }),
    ).toMatchObject({ ok: false, refusal: { code: 'pem.private_key' } });
    expect(await h.ctx.store.certificates.count()).toBe(0);
  });

  it('asks for the validation type when the certificate does not say', async () => {
    const noPolicy = pem('no-policy-2126.pem');
    expect(await uploadCertificate(h.ctx, { pem: noPolicy, uploaderId: ALICE })).toMatchObject({
      ok: false,
      refusal: { code: 'upload.validation_type_unknown' },
    });
    expect(
      await uploadCertificate(h.ctx, { pem: noPolicy, uploaderId: ALICE, validationType: 'DV' }),
    ).toMatchObject({ ok: true });
  });
});

describe('queries', () => {
  it('lists by scope, soonest expiry first, and shows a status with history and the next scheduled point', async () => {
    const id = await issuedShop(h.ctx);
    const [pending = ''] = await buy(h.ctx);
    const PAGE = { offset: 0, limit: 100 };
    const ids = (r: Awaited<ReturnType<typeof listCertificates>>) =>
      r.ok ? r.value.rows.map((row) => row.certificate.id) : r.refusal.code;
    expect(ids(await listCertificates(h.ctx, ALICE, 'mine', PAGE))).toEqual([id]);
    // Most urgent group first: the instance still to apply for, then the valid certificate.
    const team = await listCertificates(h.ctx, BOB, 'team', PAGE);
    expect(ids(team)).toEqual([pending, id]);
    expect(team.ok && team.value.total).toBe(2);
    expect(ids(await listCertificates(h.ctx, BOB, 'team', { offset: 1, limit: 1 }))).toEqual([id]);
    expect(await listCertificates(h.ctx, ALICE, 'all', PAGE)).toMatchObject({
      ok: false,
      refusal: { code: 'list.all_not_allowed' },
    });
    expect((await listCertificates(h.ctx, APPROVER, 'all', PAGE)).ok).toBe(true);
    const expiringNow = await listCertificates(h.ctx, ALICE, 'expiring', PAGE);
    expect(expiringNow.ok && expiringNow.value).toEqual({ rows: [], total: 0, offset: 0 });
    h.clock.set(new Date('2127-02-10T10:00:00+08:00'));
    const expiringLater = await listCertificates(h.ctx, ALICE, 'expiring', PAGE);
    expect(
      expiringLater.ok && expiringLater.value.rows.map((r) => [r.certificate.id, r.expiry?.status]),
    ).toEqual([[id, 'expiring']]);

    h.clock.set(new Date('2126-06-04T10:00:00+08:00'));
    const status = await certificateStatus(h.ctx, id, ALICE);
    expect(status).toMatchObject({
      ok: true,
      value: {
        certificate: { state: 'issued' },
        contact: { email: 'li@example.com' },
        next: { kind: 'expiry_window', at: new Date('2127-01-30T00:00:00+08:00').getTime() },
      },
    });
    const actions = status.ok ? status.value.history.map((e) => e.action) : [];
    expect(actions).toEqual(['purchase', 'apply', 'submit', 'issue']);
    expect(await certificateStatus(h.ctx, id, CAROL)).toMatchObject({
      ok: false,
      refusal: { code: 'certificate.other_team' },
    });
  });

  it('in the window, shows the next reminder of the ladder, then the expiry itself', async () => {
    const id = await issuedShop(h.ctx);
    h.clock.set(new Date('2127-02-10T10:00:00+08:00')); // 19 days left
    expect(await certificateStatus(h.ctx, id, ALICE)).toMatchObject({
      ok: true,
      value: {
        next: {
          kind: 'expiry_reminder',
          threshold: 14,
          at: new Date('2127-02-15T00:00:00+08:00').getTime(),
        },
      },
    });
    h.clock.set(new Date('2127-02-28T10:00:00+08:00')); // 1 day left
    expect(await certificateStatus(h.ctx, id, ALICE)).toMatchObject({
      ok: true,
      value: { next: { kind: 'expiry', at: Date.parse('2127-03-01T00:00:00Z') } },
    });
  });

  it('shows the SLA reminder as the next point while the CA reviews', async () => {
    const [id = ''] = await buy(h.ctx);
    await applyForCertificate(h.ctx, {
      certificateId: id,
      requesterId: ALICE,
      domains: ['shop.example.com'],
      validationMethod: 'dns',
      contact,
      hosting: false,
    });
    const [app = ''] = await h.ctx.store.applications.idsOfCertificate(id);
    await decideApplication(h.ctx, {
      applicationId: app,
      deciderId: APPROVER,
      decision: 'approve',
    });
    const status = await certificateStatus(h.ctx, id, ALICE);
    expect(status).toMatchObject({
      ok: true,
      value: {
        next: {
          kind: 'sla_reminder',
          at: new Date('2126-06-05T10:00:00+08:00').getTime(),
          estimated: true,
        },
      },
    });
    h.clock.set(new Date('2126-06-06T10:00:00+08:00'));
    const later = await certificateStatus(h.ctx, id, ALICE);
    expect(later).toMatchObject({
      ok: true,
      value: { next: { kind: 'sla_breach', at: new Date('2126-06-13T10:00:00+08:00').getTime() } },
    });
  });
});
