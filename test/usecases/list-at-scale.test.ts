import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DASHBOARD_GROUPS,
  dashboardRanges,
  inRange,
  listPlacement,
} from '../../src/domain/listing.js';
import { LIST_PAGE_SIZE } from '../../src/slack/features/queries/views.js';
import { RedisStore, SCHEMA_VERSION } from '../../src/store/redis-store.js';
import { applicableInstances, INSTANCE_PAGE } from '../../src/usecases/apply-for-certificate.js';
import type { Store } from '../../src/usecases/ports/index.js';
import {
  DASHBOARD_ROWS_READ,
  type Dashboard,
  dashboard,
  listCertificates,
  MINE_RECENT_REQUESTS,
} from '../../src/usecases/queries.js';
import {
  CANDIDATES_READ,
  combineCandidates,
  searchCombineCandidates,
} from '../../src/usecases/request-combination.js';
import { application, certificate } from '../support/fixtures.js';
import { ALICE, BOB, type Harness, harness } from '../support/usecase-harness.js';

const DAY_MS = 86_400_000;
const OWNED = 800;
const PAST_REQUESTS = 1500;
const TEAM_INSTANCES = 1200;

/** Counts the commands a Redis client sends (pipelined ones and scripts included). */
function countCommands(redis: Redis): { readonly count: number; stop(): void } {
  const original = redis.sendCommand.bind(redis);
  let count = 0;
  redis.sendCommand = ((command: Parameters<Redis['sendCommand']>[0], stream?: never) => {
    count++;
    return original(command, stream);
  }) as Redis['sendCommand'];
  return {
    get count() {
      return count;
    },
    stop() {
      redis.sendCommand = original;
    },
  };
}

/** A certificate of the team; `owner` unset for the instances nobody owns yet. */
function certificateAt(i: number, owner: string | undefined, at: number, live: boolean) {
  const notAfter = at + ((i % 400) - 20) * DAY_MS; // some expired, some expiring, most valid
  const { ownerUserId: _fixtureOwner, ...unowned } = certificate({
    id: `cs${String(i).padStart(5, '0')}`,
    name: `scale-${i}`,
    spec: { brand: 'DigiCert', validationType: 'DV', domainType: 'single', grade: 'standard' },
    state: live ? 'issued' : 'pending_application',
    source: live ? 'uploaded' : 'purchased',
    domains: live ? [`s${i}.example.com`] : [],
    ...(live ? { notBefore: notAfter - 365 * DAY_MS, notAfter } : {}),
    createdAt: at - i,
    updatedAt: at - i,
  });
  return owner ? { ...unowned, ownerUserId: owner } : unowned;
}

/** One of Alice's past requests: five years of them, the newest last. */
function requestAt(i: number, certificateId: string, at: number) {
  return application({
    id: `as${String(i).padStart(5, '0')}`,
    certificateId,
    requesterId: ALICE,
    status: 'issued',
    domains: [`s${i}.example.com`],
    createdAt: at - (PAST_REQUESTS - i) * DAY_MS,
    updatedAt: at - (PAST_REQUESTS - i) * DAY_MS,
  });
}

async function seed(store: Store, at: number): Promise<void> {
  const certs = Array.from({ length: TEAM_INSTANCES }, (_, i) =>
    certificateAt(i, i < OWNED ? ALICE : undefined, at, i < OWNED || i % 3 === 0),
  );
  const apps = Array.from({ length: PAST_REQUESTS }, (_, i) =>
    requestAt(i, certs[i % OWNED]?.id ?? '', at),
  );
  const note = { actor: 'test', at, action: 'seed' };
  for (let i = 0; i < certs.length; i += 200) {
    const done = await store.commit((tx) => {
      for (const c of certs.slice(i, i + 200)) tx.createCertificate(c, note);
    });
    expect(done.ok).toBe(true);
  }
  for (let i = 0; i < apps.length; i += 200) {
    const done = await store.commit((tx) => {
      for (const a of apps.slice(i, i + 200)) tx.createApplication(a, note);
    });
    expect(done.ok).toBe(true);
  }
}

/**
 * An aged organisation: a person with 800 certificates and 1,500 past requests, a team with
 * 1,200 instances. `/cert list` reads one page from the list indexes; what it sends to Redis does
 * not grow with the history.
 */
describe('/cert list at an aged organisation’s scale', () => {
  let h: Harness;
  const page = (n: number) => ({ offset: n * LIST_PAGE_SIZE, limit: LIST_PAGE_SIZE });

  beforeAll(async () => {
    h = await harness();
    await seed(h.ctx.store, h.ctx.clock.now().getTime());
  }, 60_000);
  afterAll(async () => {
    await h?.cleanup();
  });

  async function commandsFor(run: () => Promise<unknown>): Promise<number> {
    const counter = countCommands(h.redis.redis);
    try {
      await run();
      return counter.count;
    } finally {
      counter.stop();
    }
  }

  // Measured once beside the old way of listing (every request, every owned certificate): 123
  // commands and ~18 ms a page against 2,302 commands and ~185 ms, on a busy 2-core machine.
  it('reads a bounded number of commands for a person with 1,500 past requests', async () => {
    // Recent requests and their certificates, a count per range, the page's ids and hashes.
    const bound = 2 + 2 * MINE_RECENT_REQUESTS + 2 * 6 + LIST_PAGE_SIZE;
    for (const n of [0, 3, 40]) {
      const mine = await commandsFor(() => listCertificates(h.ctx, ALICE, 'mine', page(n)));
      expect(mine).toBeLessThanOrEqual(bound);
    }
    const team = await commandsFor(() => listCertificates(h.ctx, BOB, 'team', page(20)));
    expect(team).toBeLessThanOrEqual(1 + 2 * 6 + LIST_PAGE_SIZE);
  });

  it('the apply and combine modals read a bounded number of commands in a team of 1,200', async () => {
    // About 270 of the team's instances may be applied for: one page of 100 is read.
    const apply = await commandsFor(() => applicableInstances(h.ctx, BOB));
    expect((await applicableInstances(h.ctx, BOB)).total).toBeGreaterThan(INSTANCE_PAGE);
    expect(apply).toBeLessThanOrEqual(2 + INSTANCE_PAGE);
    const search = await commandsFor(() => applicableInstances(h.ctx, BOB, { query: 'scale-99' }));
    expect(search).toBeLessThanOrEqual(4 + 12);
    // Combining into an OV instance of a team with ~270 applicable ones: past CANDIDATES_READ
    // none is read (a search serves them), only the selected ones and the counts.
    const ov = certificate({
      id: 'cov00001',
      name: 'aaa ov',
      spec: { brand: 'DigiCert', validationType: 'OV', domainType: 'single', grade: 'standard' },
      team: 'web',
    });
    const partner = certificate({ ...ov, id: 'cov00002', name: 'aab ov' });
    const note = { actor: 'test', at: 0, action: 'seed' };
    for (const c of [ov, partner])
      expect((await h.ctx.store.commit((tx) => tx.createCertificate(c, note))).ok).toBe(true);
    let candidates: Awaited<ReturnType<typeof combineCandidates>> | undefined;
    const combine = await commandsFor(async () => {
      candidates = await combineCandidates(h.ctx, ov.id, BOB, [partner.id, 'cs01001']);
    });
    expect(combine).toBeLessThanOrEqual(6 + 2);
    if (!candidates?.ok) throw new Error('refused');
    // The selected partner is eligible; a selected DV instance is not.
    expect(candidates.value.eligible.map((c) => c.id)).toEqual([partner.id]);
    const { ineligible, unlisted, searched = 0 } = candidates.value;
    expect(ineligible).toEqual([]);
    expect(searched).toBeGreaterThan(CANDIDATES_READ);
    // Every live or unfinished instance of the team is searched or counted.
    expect(searched + unlisted + 1).toBe(TEAM_INSTANCES + 2);
    // The search reads one page of the matches and offers those that can be combined.
    const candidateSearch = await commandsFor(async () => {
      expect((await searchCombineCandidates(h.ctx, ov.id, BOB, 'aa')).map((c) => c.id)).toEqual([
        partner.id,
      ]);
    });
    expect(candidateSearch).toBeLessThanOrEqual(5 + CANDIDATES_READ);
  });

  it('the App Home reads a few of each group and counts the rest, for 800 owned in a team of 1,200', async () => {
    let board: Dashboard | undefined;
    const commands = await commandsFor(async () => {
      board = await dashboard(h.ctx, ALICE);
    });
    // One count pipeline, a page per group and list (team, owner), the hashes read.
    expect(commands).toBeLessThanOrEqual(1 + 2 * 5 + 2 * 5 * DASHBOARD_ROWS_READ);
    if (!board) throw new Error('no dashboard');
    // The counts are what reading the whole team would give.
    const all = await h.ctx.store.certificates.getMany(
      await h.ctx.store.certificates.idsOfTeam('web'),
    );
    const ranges = dashboardRanges(h.ctx.clock.now(), h.ctx.policy.timeZone);
    const expected = Object.fromEntries(
      DASHBOARD_GROUPS.map((g) => [
        g,
        all.filter((c) => ranges[g].some((r) => inRange(r, listPlacement(c)))).length,
      ]),
    );
    expect(board.counts).toEqual(expected);
    expect(board.counts.expired + board.counts.expiring).toBeGreaterThan(DASHBOARD_ROWS_READ);
    expect(board.rows.length).toBeLessThanOrEqual(2 * 5 * DASHBOARD_ROWS_READ);
    expect(board.mine.size).toBeGreaterThan(0);
  });

  it('pages through the whole list in list order, each certificate once', async () => {
    const seen: string[] = [];
    let total = 0;
    for (let n = 0; ; n++) {
      const result = await listCertificates(h.ctx, ALICE, 'mine', page(n));
      if (!result.ok) throw new Error(result.refusal.code);
      total = result.value.total;
      if (result.value.offset < n * LIST_PAGE_SIZE) break; // past the end: the last page again
      seen.push(...result.value.rows.map((r) => r.certificate.id));
      if (seen.length >= total) break;
    }
    expect(total).toBe(OWNED);
    expect(new Set(seen).size).toBe(OWNED);
    // Expired first, then expiring, then valid; soonest expiry first within each.
    const rows = await Promise.all(
      [0, 1, 2].map((n) => listCertificates(h.ctx, ALICE, 'mine', page(n))),
    );
    const first = rows.flatMap((r) => (r.ok ? r.value.rows : []));
    const order = first.map((r) => r.certificate.notAfter ?? 0);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(first[0]?.expiry?.status).toBe('expired');
  });

  it('an installation from before the list indexes is migrated once, then lists the same', async () => {
    expect(SCHEMA_VERSION).toBe(5);
    const before = await listCertificates(h.ctx, ALICE, 'mine', page(2));
    const applicableBefore = await applicableInstances(h.ctx, ALICE);
    expect(applicableBefore.total).toBeGreaterThan(0);
    const redis = h.redis.redis;
    const store = h.ctx.store as RedisStore;
    // As an older version left it: no list indexes, no schema version, the sets of schema 1.
    await redis.sadd(`${h.redis.prefix}:idx:cert:team:web`, 'cs00001', 'cs00002');
    await redis.sadd(`${h.redis.prefix}:idx:app:requester:${ALICE}`, 'as00001');
    const stale = [
      ...(await redis.keys(`${h.redis.prefix}:idx:cert:owner-*`)),
      ...(await redis.keys(`${h.redis.prefix}:idx:cert:team-*`)),
      ...(await redis.keys(`${h.redis.prefix}:idx:app:requester-created:*`)),
      ...(await redis.keys(`${h.redis.prefix}:idx:cert:applicable:*`)),
      store.keys.schema(),
    ];
    await redis.del(...stale);
    const empty = await listCertificates(h.ctx, ALICE, 'mine', page(0));
    expect(empty.ok && empty.value.total).toBe(0);

    const lines: string[] = [];
    expect(await store.migrate((line) => lines.push(line))).toBe(SCHEMA_VERSION);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/indexes for 120[0-2] certificates and 1500 requests/);
    expect(await redis.keys(`${h.redis.prefix}:idx:cert:team:*`)).toEqual([]);
    expect(await listCertificates(h.ctx, ALICE, 'mine', page(2))).toEqual(before);
    expect(await applicableInstances(h.ctx, ALICE)).toEqual(applicableBefore);
    // A second start finds it done.
    expect(await new RedisStore(redis, h.redis.prefix).migrate((line) => lines.push(line))).toBe(
      SCHEMA_VERSION,
    );
    expect(lines).toHaveLength(1);
  });
});
