import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApplicationStatus } from '../../src/domain/application.js';
import type { CertificateState } from '../../src/domain/states.js';
import { RedisStore, SCHEMA_VERSION } from '../../src/store/redis-store.js';
import { application, certificate, note } from '../support/fixtures.js';
import { type TestRedis, testRedis } from '../support/redis.js';

let redis: TestRedis;
let store: RedisStore;
beforeEach(async () => {
  redis = await testRedis();
  store = new RedisStore(redis.redis, redis.prefix);
});
afterEach(async () => {
  await redis.cleanup();
});

/** An instance and its hosting request, as schema 4 left them (the credit taken at request). */
async function legacy(
  n: number,
  state: CertificateState,
  status: ApplicationStatus,
  extra: { hosted?: boolean; createdAt?: number } = {},
) {
  const at = extra.createdAt ?? 1_000 + n;
  const cert = certificate({ id: `c${n}`, state, hosted: extra.hosted ?? false });
  const app = application({
    id: `a${n}`,
    certificateId: cert.id,
    status,
    hosting: true,
    createdAt: at,
    updatedAt: at,
  });
  const done = await store.commit((tx) => {
    tx.createCertificate(cert, note('seed'));
    tx.createApplication(app, note('seed'));
  });
  expect(done.ok).toBe(true);
}

describe('schema 5: hosting credits become a ledger', () => {
  it('returns what waiting requests took, marks held and spent instances, once', async () => {
    await legacy(1, 'pending_application', 'awaiting_approval'); // took one at request: back
    await legacy(2, 'under_review', 'submitted'); // with the CA: held
    await legacy(3, 'validation_failed', 'validation_failed'); // may apply again: held
    await legacy(4, 'issued', 'issued', { hosted: true }); // spent
    await legacy(5, 'pending_application', 'rejected'); // refunded then: nothing
    // Schema 4's counters: 5 bought, 4 taken (the rejected one was given back).
    const key = store.keys.credits('web');
    await redis.redis.hset(key, { team: 'web', purchased: '5', used: '4' });
    await redis.redis.set(store.keys.schema(), '4');
    expect(await store.hostingCredits.get('web')).toEqual({
      team: 'web',
      purchased: 5,
      held: 0,
      spent: 4,
    });

    const lines: string[] = [];
    expect(await store.migrate((line) => lines.push(line))).toBe(SCHEMA_VERSION);
    expect(lines[0]).toContain(
      'hosting credits as a ledger (2 held, 1 spent, 1 returned to 1 teams)',
    );
    const expected = { team: 'web', purchased: 5, held: 2, spent: 1 };
    expect(await store.hostingCredits.get('web')).toEqual(expected);
    const marks = (await store.certificates.getMany(['c1', 'c2', 'c3', 'c4', 'c5'])).map(
      (c) => c.hostingCredit,
    );
    expect(marks).toEqual([undefined, 'held', 'held', 'spent', undefined]);
    expect((await store.audit.history('cert', 'c2', 10)).at(-1)).toMatchObject({
      action: 'migrate',
      reason: 'hosting-credit ledger',
    });

    // Cut short and run again (the schema key not yet written): counted once all the same.
    await redis.redis.set(store.keys.schema(), '4');
    expect(await store.migrate()).toBe(SCHEMA_VERSION);
    expect(await store.hostingCredits.get('web')).toEqual(expected);
  });
});
