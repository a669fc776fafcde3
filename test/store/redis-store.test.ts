import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Certificate } from '../../src/domain/certificate.js';
import {
  CERTIFICATE_EVENTS,
  CERTIFICATE_STATES,
  type CertificateEvent,
  nextState,
} from '../../src/domain/states.js';
import { CorruptEntityError } from '../../src/store/codecs.js';
import { RedisStore } from '../../src/store/redis-store.js';
import { application, certificate, contact, note } from '../support/fixtures.js';
import { type TestRedis, testRedis } from '../support/redis.js';

let t: TestRedis;
let store: RedisStore;

beforeEach(async () => {
  t = await testRedis();
  store = new RedisStore(t.redis, t.prefix);
});
afterEach(async () => {
  await t.cleanup();
});

const issue = (
  before: Certificate,
  actor = 'U_SUPPORT',
): Promise<ReturnType<RedisStore['commit']> extends Promise<infer R> ? R : never> =>
  store.commit((tx) =>
    tx.updateCertificate(
      before,
      { ...before, state: 'issued', notAfter: Date.UTC(2027, 10, 1) },
      note('issue', actor),
    ),
  );

describe('RedisStore certificates', () => {
  it('creates an entity at version 1 with its indexes and one audit entry', async () => {
    const cert = certificate({ version: 7 });
    expect(await store.commit((tx) => tx.createCertificate(cert, note('purchase')))).toEqual({
      ok: true,
    });
    const stored = await store.certificates.get('c1');
    expect(stored).toEqual({ ...cert, version: 1, updatedAt: note('x').at });
    expect(await store.certificates.idsInState('pending_application')).toEqual(['c1']);
    expect(await store.certificates.idsOfTeam('web')).toEqual(['c1']);
    expect(await store.certificates.idsOwnedBy('U_OWNER')).toEqual(['c1']);
    expect(await store.certificates.ids({ offset: 0, limit: 10 })).toEqual(['c1']);
    // Not live yet: not watched for expiry.
    expect(
      await store.certificates.idsExpiringBetween(0, Number.MAX_SAFE_INTEGER, {
        offset: 0,
        limit: 10,
      }),
    ).toEqual([]);
    const history = await store.audit.history('cert', 'c1', 10);
    expect(history).toEqual([
      {
        entity: 'cert',
        entityId: 'c1',
        action: 'purchase',
        actor: 'U_ACTOR',
        at: note('x').at,
        to: 'pending_application',
      },
    ]);
  });

  it('refuses to create an id twice and writes nothing the second time', async () => {
    await store.commit((tx) => tx.createCertificate(certificate(), note('purchase')));
    const second = await store.commit((tx) =>
      tx.createCertificate(certificate({ name: 'other' }), note('purchase')),
    );
    expect(second).toEqual({ ok: false, conflict: { kind: 'exists', entity: 'cert', id: 'c1' } });
    expect((await store.certificates.get('c1'))?.name).toBe('shop OV');
    expect(await store.audit.history('cert', 'c1', 10)).toHaveLength(1);
  });

  it('moves state and expiry indexes on a transition and audits from/to', async () => {
    await store.commit((tx) =>
      tx.createCertificate(certificate({ state: 'under_review' }), note('submit')),
    );
    const before = await store.certificates.get('c1');
    if (!before) throw new Error('missing');
    expect(await issue(before)).toEqual({ ok: true });
    const after = await store.certificates.get('c1');
    expect(after?.state).toBe('issued');
    expect(after?.version).toBe(2);
    expect(await store.certificates.idsInState('under_review')).toEqual([]);
    expect(await store.certificates.idsInState('issued')).toEqual(['c1']);
    expect(
      await store.certificates.idsExpiringBetween(0, Date.UTC(2028, 0, 1), {
        offset: 0,
        limit: 10,
      }),
    ).toEqual(['c1']);
    const [, last] = await store.audit.history('cert', 'c1', 10);
    expect(last).toMatchObject({
      action: 'issue',
      actor: 'U_SUPPORT',
      from: 'under_review',
      to: 'issued',
    });
  });

  it('refuses a stale version as already changed, reporting the version it found', async () => {
    await store.commit((tx) =>
      tx.createCertificate(certificate({ state: 'under_review' }), note('submit')),
    );
    const before = await store.certificates.get('c1');
    if (!before) throw new Error('missing');
    await issue(before);
    expect(await issue(before)).toEqual({
      ok: false,
      conflict: { kind: 'changed', entity: 'cert', id: 'c1', actualVersion: 2 },
    });
    expect(await store.audit.history('cert', 'c1', 10)).toHaveLength(2);
  });

  it('removes optional fields that the new version no longer has', async () => {
    await store.commit((tx) =>
      tx.createCertificate(certificate({ contactId: 'p1' }), note('purchase')),
    );
    const before = await store.certificates.get('c1');
    if (!before) throw new Error('missing');
    const { contactId: _dropped, ...rest } = before;
    await store.commit((tx) => tx.updateCertificate(before, rest, note('edit')));
    expect((await store.certificates.get('c1'))?.contactId).toBeUndefined();
    expect(await t.redis.hexists(`${t.prefix}:cert:c1`, 'contactId')).toBe(0);
  });

  it('lets exactly one of 50 concurrent identical transitions win, from several connections', async () => {
    await store.commit((tx) =>
      tx.createCertificate(certificate({ state: 'under_review' }), note('submit')),
    );
    const before = await store.certificates.get('c1');
    if (!before) throw new Error('missing');
    const clients = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const redis = new Redis(t.url, { lazyConnect: true });
        await redis.connect();
        return redis;
      }),
    );
    try {
      const stores = clients.map((redis) => new RedisStore(redis, t.prefix));
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (stores[i % stores.length] as RedisStore).commit((tx) =>
            tx.updateCertificate(
              before,
              { ...before, state: 'issued', notAfter: Date.UTC(2027, 0, 1) },
              note('issue', `U_${i}`),
            ),
          ),
        ),
      );
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(results.filter((r) => !r.ok && r.conflict.kind === 'changed')).toHaveLength(49);
      const history = await store.audit.history('cert', 'c1', 100);
      expect(history.filter((e) => e.action === 'issue')).toHaveLength(1);
      expect((await store.certificates.get('c1'))?.version).toBe(2);
    } finally {
      await Promise.all(clients.map((c) => c.quit()));
    }
  });

  it('applies nothing of a change when any of its checks fails', async () => {
    await store.commit((tx) => tx.createCertificate(certificate({ id: 'c1' }), note('purchase')));
    await store.commit((tx) => tx.createCertificate(certificate({ id: 'c2' }), note('purchase')));
    const [c1, c2] = await store.certificates.getMany(['c1', 'c2']);
    if (!c1 || !c2) throw new Error('missing');
    const result = await store.commit((tx) => {
      tx.updateCertificate(c1, { ...c1, state: 'merged' }, note('merge'));
      tx.updateCertificate({ ...c2, version: 99 }, { ...c2, state: 'merged' }, note('merge'));
      tx.createCertificate(certificate({ id: 'c3', name: 'cas-merge-c3' }), note('combine'));
    });
    expect(result).toEqual({
      ok: false,
      conflict: { kind: 'changed', entity: 'cert', id: 'c2', actualVersion: 1 },
    });
    expect((await store.certificates.get('c1'))?.state).toBe('pending_application');
    expect(await store.certificates.get('c3')).toBeUndefined();
    expect(await store.certificates.idsInState('merged')).toEqual([]);
    expect(await t.redis.xlen(`${t.prefix}:audit`)).toBe(2);
  });

  it('refuses a second certificate with the same fingerprint and names the one tracked', async () => {
    await store.commit((tx) =>
      tx.createCertificate(certificate({ fingerprintSha256: 'AB:CD' }), note('upload')),
    );
    const again = await store.commit((tx) =>
      tx.createCertificate(certificate({ id: 'c2', fingerprintSha256: 'AB:CD' }), note('upload')),
    );
    expect(again).toEqual({
      ok: false,
      conflict: { kind: 'certificate_tracked', fingerprint: 'AB:CD', existingId: 'c1' },
    });
    expect(await store.certificates.idByFingerprint('AB:CD')).toBe('c1');
    expect(await store.certificates.get('c2')).toBeUndefined();
  });

  it('reports a damaged hash instead of using it', async () => {
    await store.commit((tx) => tx.createCertificate(certificate(), note('purchase')));
    await t.redis.hset(`${t.prefix}:cert:c1`, 'state', 'bogus');
    await expect(store.certificates.get('c1')).rejects.toBeInstanceOf(CorruptEntityError);
  });

  it('keeps every key under its prefix', async () => {
    await store.commit((tx) => {
      tx.createCertificate(certificate(), note('purchase'));
      tx.createApplication(application(), note('apply'));
      tx.createContact(contact(), note('contact'));
      tx.addHostingCredits('web', 1, note('purchase'));
      tx.once('k', 1000);
    });
    const other = new RedisStore(t.redis, `${t.prefix}-other`);
    expect(await other.certificates.get('c1')).toBeUndefined();
    const keys = await t.redis.keys(`${t.prefix}:*`);
    expect(keys.length).toBeGreaterThan(10);
    expect(keys.every((k) => k.startsWith(`${t.prefix}:`))).toBe(true);
  });
});

describe('RedisStore indexes agree with entities', () => {
  it('after any sequence of transitions (property)', async () => {
    const ids = ['c1', 'c2', 'c3'];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom(...ids),
            fc.constantFrom(...CERTIFICATE_EVENTS),
            fc.integer({ min: 1, max: 400 }),
          ),
          {
            maxLength: 25,
          },
        ),
        async (steps) => {
          const run = new RedisStore(
            t.redis,
            `${t.prefix}:run${Math.random().toString(36).slice(2, 8)}`,
          );
          await run.commit((tx) => {
            for (const id of ids)
              tx.createCertificate(
                certificate({ id, state: 'pending_application' }),
                note('purchase'),
              );
          });
          for (const [id, event, days] of steps) {
            const before = await run.certificates.get(id);
            if (!before) throw new Error('missing');
            const to = nextState(before.state, event as CertificateEvent);
            if (!to.ok) continue;
            const notAfter =
              to.value === 'issued' ? Date.UTC(2026, 0, 1) + days * 86_400_000 : before.notAfter;
            const result = await run.commit((tx) =>
              tx.updateCertificate(before, { ...before, state: to.value, notAfter }, note(event)),
            );
            expect(result.ok).toBe(true);
          }
          const certs = await run.certificates.getMany(ids);
          for (const state of CERTIFICATE_STATES) {
            const inIndex = (await run.certificates.idsInState(state)).sort();
            expect(inIndex).toEqual(
              certs
                .filter((c) => c.state === state)
                .map((c) => c.id)
                .sort(),
            );
          }
          const watched = (
            await run.certificates.idsExpiringBetween(0, Number.MAX_SAFE_INTEGER, {
              offset: 0,
              limit: 100,
            })
          ).sort();
          expect(watched).toEqual(
            certs
              .filter(
                (c) => (c.state === 'issued' || c.state === 'uploaded') && c.notAfter !== undefined,
              )
              .map((c) => c.id)
              .sort(),
          );
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('RedisStore applications', () => {
  it('indexes SLA points only while submitted', async () => {
    const sla = {
      submittedAt: 1,
      remindAt: 100,
      expectedFrom: 300,
      expectedBy: 700,
      breachAt: 700,
      estimated: false,
    };
    await store.commit((tx) =>
      tx.createApplication(application({ status: 'approved', sla }), note('approve')),
    );
    expect(await store.applications.idsDueForReminder(1000, { offset: 0, limit: 10 })).toEqual([]);
    const approved = await store.applications.get('a1');
    if (!approved) throw new Error('missing');
    await store.commit((tx) =>
      tx.updateApplication(approved, { ...approved, status: 'submitted' }, note('submit')),
    );
    expect(await store.applications.idsDueForReminder(99, { offset: 0, limit: 10 })).toEqual([]);
    expect(await store.applications.idsDueForReminder(100, { offset: 0, limit: 10 })).toEqual([
      'a1',
    ]);
    expect(await store.applications.idsDueForBreach(700, { offset: 0, limit: 10 })).toEqual(['a1']);
    const submitted = await store.applications.get('a1');
    if (!submitted) throw new Error('missing');
    await store.commit((tx) =>
      tx.updateApplication(submitted, { ...submitted, status: 'issued' }, note('issue')),
    );
    expect(await store.applications.idsDueForBreach(1000, { offset: 0, limit: 10 })).toEqual([]);
    expect(await store.applications.idsWithStatus('issued')).toEqual(['a1']);
    expect(await store.applications.idsOfCertificate('c1')).toEqual(['a1']);
    expect(await store.applications.idsOfRequester('U_REQ')).toEqual(['a1']);
  });
});

describe('RedisStore hosting credits', () => {
  const ledger = (purchased: number, held: number, spent: number) => ({
    team: 'web',
    purchased,
    held,
    spent,
  });

  it('holds only what was bought, even under 20 concurrent approvals', async () => {
    expect(await store.hostingCredits.get('web')).toEqual(ledger(0, 0, 0));
    await store.commit((tx) => tx.addHostingCredits('web', 5, note('purchase')));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.commit((tx) => tx.moveHostingCredit('web', 'hold', note('approve', `U_${i}`))),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.conflict.kind === 'no_credits')).toHaveLength(15);
    expect(await store.hostingCredits.get('web')).toEqual(ledger(5, 5, 0));
    expect(await store.audit.history('credits', 'web', 100)).toHaveLength(6);
  });

  it('spends and releases only what is held', async () => {
    await store.commit((tx) => tx.addHostingCredits('web', 3, note('purchase')));
    for (const move of ['hold', 'hold', 'spend', 'release'] as const)
      expect((await store.commit((tx) => tx.moveHostingCredit('web', move, note(move)))).ok).toBe(
        true,
      );
    expect(await store.hostingCredits.get('web')).toEqual(ledger(3, 0, 1));
    for (const move of ['spend', 'release'] as const)
      expect(await store.commit((tx) => tx.moveHostingCredit('web', move, note(move)))).toEqual({
        ok: false,
        conflict: { kind: 'no_credits', team: 'web' },
      });
    expect(await store.hostingCredits.get('web')).toEqual(ledger(3, 0, 1));
  });

  it('refuses a hold together with the rest of the change', async () => {
    const result = await store.commit((tx) => {
      tx.createApplication(application({ hosting: true }), note('apply'));
      tx.moveHostingCredit('web', 'hold', note('apply'));
    });
    expect(result).toEqual({ ok: false, conflict: { kind: 'no_credits', team: 'web' } });
    expect(await store.applications.get('a1')).toBeUndefined();
  });
});

describe('RedisStore contacts and idempotency', () => {
  it('keeps contact email and phone unique', async () => {
    await store.commit((tx) => tx.createContact(contact(), note('contact')));
    const sameEmail = await store.commit((tx) =>
      tx.createContact(contact({ id: 'p2', phone: '+8613900000000' }), note('contact')),
    );
    expect(sameEmail).toEqual({ ok: false, conflict: { kind: 'contact_taken', field: 'email' } });
    const samePhone = await store.commit((tx) =>
      tx.createContact(contact({ id: 'p3', email: 'x@example.com' }), note('contact')),
    );
    expect(samePhone).toEqual({ ok: false, conflict: { kind: 'contact_taken', field: 'phone' } });
    expect((await store.contacts.listOfTeam('web')).map((c) => c.id)).toEqual(['p1']);
    expect(await store.contacts.get('p1')).toEqual(contact());
  });

  it('applies a change with an idempotency key once', async () => {
    const first = await store.commit((tx) => {
      tx.once('slack-retry-1', 60_000);
      tx.addHostingCredits('web', 1, note('purchase'));
    });
    const again = await store.commit((tx) => {
      tx.once('slack-retry-1', 60_000);
      tx.addHostingCredits('web', 1, note('purchase'));
    });
    expect(first).toEqual({ ok: true });
    expect(again).toEqual({ ok: false, conflict: { kind: 'duplicate', key: 'slack-retry-1' } });
    expect((await store.hostingCredits.get('web')).purchased).toBe(1);
    expect(await t.redis.pttl(`${t.prefix}:once:slack-retry-1`)).toBeGreaterThan(50_000);
  });
});
