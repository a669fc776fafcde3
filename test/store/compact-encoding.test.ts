import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_INLINE } from '../../src/store/codecs.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { application, certificate, contact, note } from '../support/fixtures.js';
import { type TestRedis, testRedis } from '../support/redis.js';

/**
 * Entity hashes are written compactly (no id field, spec as a tuple, the entity's history inline)
 * and what an older version wrote (id field, spec object, a history list per entity) still reads
 * and is brought to the current form by the next update.
 */
let t: TestRedis;
let store: RedisStore;

beforeEach(async () => {
  t = await testRedis();
  store = new RedisStore(t.redis, t.prefix);
});
afterEach(async () => {
  await t.cleanup();
});

const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);

/** Exactly what the codec before issue 6 wrote for certificate() after one 'purchase'. */
async function writeOldCertificate(): Promise<void> {
  await t.redis.hset(`${t.prefix}:cert:c1`, {
    id: 'c1',
    name: 'shop OV',
    spec: '{"brand":"DigiCert","validationType":"OV","domainType":"single","grade":"standard"}',
    validityYears: '1',
    domainQuota: '1',
    state: 'pending_application',
    source: 'purchased',
    domains: '[]',
    team: 'web',
    ownerUserId: 'U_OWNER',
    hosted: 'false',
    version: '1',
    createdAt: String(T0),
    updatedAt: String(T0 + 1000),
  });
  await t.redis.rpush(
    `${t.prefix}:audit:cert:c1`,
    JSON.stringify({
      actor: 'U_ACTOR',
      at: String(T0 + 1000),
      action: 'purchase',
      to: 'pending_application',
    }),
  );
}

describe('compact entity hashes', () => {
  it('writes no id field, the spec as a tuple and the history in the hash', async () => {
    await store.commit((tx) => {
      tx.createCertificate(certificate(), note('purchase'));
      tx.createApplication(application(), note('apply'));
      tx.createContact(contact(), note('contact'));
    });
    const raw = await t.redis.hgetall(`${t.prefix}:cert:c1`);
    expect(raw.id).toBeUndefined();
    expect(JSON.parse(raw.spec ?? '')).toEqual(['DigiCert', 'OV', 'single', 'standard']);
    expect(JSON.parse(raw['@1'] ?? '')).toEqual([
      T0 + 1000,
      'U_ACTOR',
      'purchase',
      'pending_application',
    ]);
    expect(await t.redis.exists(`${t.prefix}:audit:cert:c1`)).toBe(0);
    expect(await t.redis.object('ENCODING', `${t.prefix}:cert:c1`)).toBe('listpack');
    expect(await store.certificates.get('c1')).toEqual({
      ...certificate(),
      updatedAt: T0 + 1000,
    });
    expect((await store.applications.get('a1'))?.id).toBe('a1');
    expect(await store.contacts.get('p1')).toEqual(contact());
    expect(await store.audit.history('contact', 'p1', 5)).toEqual([
      { entity: 'contact', entityId: 'p1', actor: 'U_ACTOR', at: T0 + 1000, action: 'contact' },
    ]);
  });

  it('reads a certificate written by the previous codec, and updates it to the current one', async () => {
    await writeOldCertificate();
    const old = await store.certificates.get('c1');
    expect(old).toEqual({ ...certificate(), updatedAt: T0 + 1000 });
    if (!old) throw new Error('missing');
    const result = await store.commit((tx) =>
      tx.updateCertificate(old, { ...old, state: 'under_review' }, note('submit', 'U_REQ')),
    );
    expect(result).toEqual({ ok: true });
    const raw = await t.redis.hgetall(`${t.prefix}:cert:c1`);
    expect(raw.id).toBeUndefined();
    expect(JSON.parse(raw.spec ?? '')).toEqual(['DigiCert', 'OV', 'single', 'standard']);
    expect(await store.certificates.get('c1')).toMatchObject({ state: 'under_review', version: 2 });
    // The old list's entries come first, then those kept in the hash.
    expect(await store.audit.history('cert', 'c1', 10)).toEqual([
      {
        entity: 'cert',
        entityId: 'c1',
        actor: 'U_ACTOR',
        at: T0 + 1000,
        action: 'purchase',
        to: 'pending_application',
      },
      {
        entity: 'cert',
        entityId: 'c1',
        actor: 'U_REQ',
        at: T0 + 1000,
        action: 'submit',
        from: 'pending_application',
        to: 'under_review',
      },
    ]);
    expect(await store.audit.history('cert', 'c1', 1)).toMatchObject([{ action: 'submit' }]);
  });

  it(`keeps the latest ${HISTORY_INLINE} history entries in the hash and all in the stream`, async () => {
    await store.commit((tx) => tx.createCertificate(certificate(), note('purchase')));
    const updates = HISTORY_INLINE + 5;
    for (let i = 0; i < updates; i++) {
      const current = await store.certificates.get('c1');
      if (!current) throw new Error('missing');
      const result = await store.commit((tx) =>
        tx.updateCertificate(current, { ...current, name: `name ${i}` }, note(`rename ${i}`)),
      );
      expect(result).toEqual({ ok: true });
    }
    const raw = await t.redis.hgetall(`${t.prefix}:cert:c1`);
    const inline = Object.keys(raw).filter((name) => name.startsWith('@'));
    expect(inline).toHaveLength(HISTORY_INLINE);
    expect(await t.redis.object('ENCODING', `${t.prefix}:cert:c1`)).toBe('listpack');
    const history = await store.audit.history('cert', 'c1', 1000);
    expect(history.map((e) => e.action)).toEqual(
      Array.from({ length: HISTORY_INLINE }, (_, i) => `rename ${i + updates - HISTORY_INLINE}`),
    );
    expect(await t.redis.xlen(`${t.prefix}:audit`)).toBe(updates + 1);
    expect(await store.certificates.get('c1')).toMatchObject({
      name: `name ${updates - 1}`,
      version: updates + 1,
    });
  });

  it('keeps hosting-credit history in its own list', async () => {
    await store.commit((tx) => tx.addHostingCredits('web', 2, note('buy')));
    await store.commit((tx) => tx.moveHostingCredit('web', 'hold', note('host')));
    expect(
      (await store.audit.history('credits', 'web', 10)).map((e) => [e.action, e.reason]),
    ).toEqual([
      ['buy', '+2'],
      ['host', 'hold'],
    ]);
  });
});
