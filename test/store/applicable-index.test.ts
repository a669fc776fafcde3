import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/domain/certificate.js';
import { applicableInstances } from '../../src/usecases/apply-for-certificate.js';
import { certificate } from '../support/fixtures.js';
import { ALICE, CAROL, type Harness, harness } from '../support/usecase-harness.js';

/**
 * The team index of instances one may apply for (apply and combine modals): kept in the same
 * change sets as the instances, searched by name or id prefix in Redis.
 */
describe('the applicable-instance index', () => {
  let h: Harness;
  const note = { actor: 'test', at: 0, action: 'seed' };
  const ids = async (query?: string) =>
    (await applicableInstances(h.ctx, ALICE, query === undefined ? {} : { query })).instances.map(
      (c) => c.id,
    );

  beforeAll(async () => {
    h = await harness();
    const certs = [
      certificate({ id: 'cidx1', name: 'Shop OV', team: 'web' }),
      certificate({ id: 'cidx2', name: 'shopfront EV', team: 'web' }),
      certificate({ id: 'cidx3', name: '支付 网关', team: 'web' }),
      certificate({ id: 'cidx4', name: 'api', team: 'web', state: 'validation_failed' }),
      certificate({ id: 'cidx5', name: 'issued one', team: 'web', state: 'issued' }),
      certificate({ id: 'cidx6', name: 'shop held', team: 'web', openApplicationId: 'a9' }),
      certificate({ id: 'cidx7', name: 'shop pay', team: 'pay' }),
    ];
    const done = await h.ctx.store.commit((tx) => {
      for (const c of certs) tx.createCertificate(c, note);
    });
    expect(done.ok).toBe(true);
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  it('holds the team’s instances one may apply for, by name; searches names and ids by prefix', async () => {
    expect(await ids()).toEqual(['cidx4', 'cidx1', 'cidx2', 'cidx3']);
    expect((await applicableInstances(h.ctx, ALICE)).total).toBe(4);
    expect(await ids('SHOP')).toEqual(['cidx1', 'cidx2']);
    expect(await ids('shop ')).toEqual(['cidx1']);
    expect(await ids('支付')).toEqual(['cidx3']);
    expect(await ids('cidx')).toEqual(['cidx1', 'cidx2', 'cidx3', 'cidx4']);
    expect(await ids('cidx2')).toEqual(['cidx2']);
    expect(await ids('zzz')).toEqual([]);
    // Another team's, an issued one and one held by a request are not in it.
    expect((await applicableInstances(h.ctx, CAROL)).instances.map((c) => c.id)).toEqual(['cidx7']);
    expect(await applicableInstances(h.ctx, ALICE, { limit: 2 })).toMatchObject({
      instances: [{ id: 'cidx4' }, { id: 'cidx1' }],
      total: 4,
    });
  });

  it('moves with the instance in the same change: held, renamed, issued, released', async () => {
    const get = async (id: string) => (await h.ctx.store.certificates.get(id)) as Certificate;
    const change = async (before: Certificate, after: Partial<Certificate>) => {
      const done = await h.ctx.store.commit((tx) =>
        tx.updateCertificate(before, { ...before, ...after }, note),
      );
      expect(done.ok).toBe(true);
    };
    await change(await get('cidx1'), { openApplicationId: 'a1' });
    expect(await ids('shop')).toEqual(['cidx2']);
    await change(await get('cidx1'), { openApplicationId: undefined, name: 'Web shop' });
    expect(await ids('shop')).toEqual(['cidx2']);
    expect(await ids('web')).toEqual(['cidx1']);
    await change(await get('cidx2'), { state: 'under_review' });
    expect(await ids('shop')).toEqual([]);
    await change(await get('cidx2'), { state: 'validation_failed' });
    expect(await ids('shop')).toEqual(['cidx2']);
    expect((await applicableInstances(h.ctx, ALICE)).total).toBe(4);
  });
});
