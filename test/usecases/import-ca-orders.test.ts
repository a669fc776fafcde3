import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/usecases/expiry-check.js';
import { importCaOrders } from '../../src/usecases/import-ca-orders.js';
import {
  CaError,
  type CaOrderSource,
  type PlacedInstance,
  type PlacedOrder,
} from '../../src/usecases/ports/index.js';
import { MAX_INSTANCES_PER_PURCHASE } from '../../src/usecases/record-purchase.js';
import { ADMIN, ALICE, APPROVER, type Harness, harness } from '../support/usecase-harness.js';

/** A CA's order list as the port hands it over: no HTTP, no CAS vocabulary. */
function fakeSource(orders: PlacedOrder[] | Error) {
  const asked: number[] = [];
  const source: CaOrderSource = {
    name: 'fake-ca',
    title: 'Fake CA',
    async placedOrders({ max }) {
      asked.push(max);
      if (orders instanceof Error) throw orders;
      return orders.slice(0, max);
    },
  };
  return { source, asked };
}

const instance = (overrides: Partial<PlacedInstance> = {}): PlacedInstance => ({
  name: 'DigiCert OV multi',
  spec: { brand: 'DigiCert', validationType: 'OV', domainType: 'multi', grade: 'standard' },
  validityYears: 1,
  domainQuota: 3,
  state: 'pending_application',
  domains: [],
  hosted: false,
  ...overrides,
});

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.cleanup();
});

describe('importCaOrders', () => {
  it('lets only those who record purchases (and the system) import, without asking the CA otherwise', async () => {
    const { source, asked } = fakeSource([]);
    expect(await importCaOrders(h.ctx, source, ALICE)).toEqual({
      ok: false,
      refusal: { code: 'purchase.not_allowed', params: { user: ALICE } },
    });
    expect(asked).toEqual([]);
    for (const actor of [ADMIN, APPROVER, SYSTEM_ACTOR])
      expect((await importCaOrders(h.ctx, source, actor)).ok).toBe(true);
    expect(asked).toEqual([
      MAX_INSTANCES_PER_PURCHASE,
      MAX_INSTANCES_PER_PURCHASE,
      MAX_INSTANCES_PER_PURCHASE,
    ]);
  });

  it('creates a certificate per new order as the port reads it, skips what it cannot, once', async () => {
    const issued = instance({
      name: 'GeoTrust DV single',
      spec: { brand: 'GeoTrust', validationType: 'DV', domainType: 'single', grade: 'standard' },
      domainQuota: 1,
      state: 'issued',
      domains: ['api.example.com'],
      hosted: true,
      notBefore: Date.parse('2126-01-01T00:00:00Z'),
      notAfter: Date.parse('2126-12-31T00:00:00Z'),
    });
    const { source, asked } = fakeSource([
      { orderId: '7001', instance: instance() },
      { orderId: '7002', instance: issued },
      { orderId: '7004', unsupported: 'status SOMETHING_NEW is not imported' },
    ]);
    const first = await importCaOrders(h.ctx, source, ADMIN, { team: 'web', max: 10 });
    if (!first.ok) throw new Error(JSON.stringify(first.refusal));
    expect(asked).toEqual([10]);
    expect(first.value).toEqual({
      created: [
        { certificateId: 'c1', orderId: '7001' },
        { certificateId: 'c2', orderId: '7002' },
      ],
      known: 0,
      skipped: [{ orderId: '7004', reason: 'status SOMETHING_NEW is not imported' }],
    });
    const [pending, live] = await h.ctx.store.certificates.getMany(['c1', 'c2']);
    expect(pending).toMatchObject({
      ...instance(),
      source: 'purchased',
      team: 'web',
      caOrderId: '7001',
      version: 1,
    });
    expect(pending?.openApplicationId).toBeUndefined();
    expect(live).toMatchObject({ ...issued, caOrderId: '7002', team: 'web' });
    const [note] = await h.ctx.store.audit.history('cert', 'c1', 5);
    expect(note).toMatchObject({ actor: ADMIN, action: 'purchase', reason: 'Fake CA order 7001' });

    const again = await importCaOrders(h.ctx, source, ADMIN);
    expect(again).toEqual({
      ok: true,
      value: { created: [], known: 2, skipped: first.value.skipped },
    });
    expect(await h.ctx.store.certificates.count()).toBe(2);
  });

  it('has the CA poll follow an order the CA is still reviewing: a submitted application', async () => {
    const { source } = fakeSource([
      {
        orderId: '7100',
        instance: instance({ state: 'under_review', domains: ['shop.example.com'] }),
      },
    ]);
    const imported = await importCaOrders(h.ctx, source, ADMIN);
    if (!imported.ok) throw new Error(JSON.stringify(imported.refusal));
    const cert = await h.ctx.store.certificates.get('c1');
    const app = await h.ctx.store.applications.get(cert?.openApplicationId ?? '');
    expect(app).toMatchObject({
      kind: 'apply',
      status: 'submitted',
      certificateId: 'c1',
      team: 'default',
      domains: ['shop.example.com'],
      decidedBy: ADMIN,
      decisionReason: 'imported from Fake CA (order 7100)',
    });
  });

  it('refuses with the CA error when the listing fails, and stores nothing', async () => {
    const refused = await importCaOrders(
      h.ctx,
      fakeSource(new CaError('fake-ca', 'Fake CA refused the AccessKey', false)).source,
      ADMIN,
    );
    expect(refused).toEqual({
      ok: false,
      refusal: {
        code: 'ca.error',
        params: { provider: 'fake-ca', error: 'Fake CA refused the AccessKey' },
      },
    });
    const away = await importCaOrders(h.ctx, fakeSource(new Error('ECONNRESET')).source, ADMIN);
    expect(away).toMatchObject({
      ok: false,
      refusal: { params: { error: 'the CA could not be reached' } },
    });
    expect(await h.ctx.store.certificates.count()).toBe(0);
  });
});
