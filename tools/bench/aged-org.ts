/**
 * The bench's aged organisation, built through the real store (RedisStore.commit, change sets),
 * so that entities, indexes and audit (each entity's inline history and the global audit stream)
 * are exactly what five years of use would leave:
 *
 * - about 100k certificates in all (BENCH_AGED_CERTS), most of them in 400 other teams, each
 *   with its life written step by step: purchased, applied for, approved, submitted, issued, and
 *   replaced by its renewal once it expired (a few requests rejected first);
 * - one person, AGED_USER, with 800 certificates and 1,500 past requests over five years
 *   (issued, rejected, withdrawn, failed validation, completed renewal purchases);
 * - their team, AGED_TEAM, with 1,200 instances (the person's 800, team mates' certificates,
 *   instances waiting to be applied for, requests under review);
 * - a fresh person, FRESH_USER, in a small team FRESH_TEAM: 16 certificates (one list page of
 *   15 and one more, so that both people's `/cert list` renders a full page and the ratio
 *   measures history, not how many rows a page shows) and 18 requests.
 *
 * Each certificate's life is a Story: one list of operations per commit round. Stories are
 * committed in batches, round by round (a round writes the next step of every story of the
 * batch in one change set), in several lanes at once, so the store pipelines them.
 */
import type { Redis } from 'ioredis';
import type { Application } from '../../src/domain/application.js';
import type { Certificate } from '../../src/domain/certificate.js';
import type { Contact } from '../../src/domain/contact.js';
import type { Spec } from '../../src/domain/spec.js';
import type { RedisStore } from '../../src/store/redis-store.js';
import {
  type AuditNote,
  asCreated,
  asUpdated,
  type Transaction,
} from '../../src/usecases/ports/index.js';
import { OTHER_TEAMS } from './certificates.js';

export const DAY = 86_400_000;
const HOUR = 3_600_000;
const YEAR = 365 * DAY;

export const APPROVER = 'UBENCHADMIN';
export const AGED_USER = 'UAGED';
export const AGED_TEAM = 'platform';
export const TEAM_MATES = ['UMATE1', 'UMATE2', 'UMATE3', 'UMATE4', 'UMATE5', 'UMATE6'];
export const FRESH_USER = 'UFRESH';
export const FRESH_TEAM = 'fresh';
/** Who the clocks and the CA outcomes act as in the history. */
const SYSTEM = 'certops';

export const AGED_OWNED = 800;
export const AGED_REQUESTS = 1500;
export const AGED_TEAM_SIZE = 1200;
const TEAM_CONTACTS = 12;
const FRESH_OWNED = 16;
const FRESH_PENDING = 8;
/** Extra (not issuing) requests of the aged person: rejected, withdrawn, failed, completed. */
const EXTRA_PATTERN = [
  'R',
  'W',
  'V',
  'R',
  'V',
  'W',
  'R',
  'V',
  'C',
  'R',
  'W',
  'V',
  'R',
  'C',
] as const;

/** CERTOPS_TEAMS for a CertOps process working on this organisation. */
export function teamsSetting(): string {
  return `${AGED_TEAM}=${[AGED_USER, ...TEAM_MATES].join(',')};${FRESH_TEAM}=${FRESH_USER}`;
}

const DV: Spec = { brand: 'DigiCert', validationType: 'DV', domainType: 'single', grade: 'Basic' };
const OV: Spec = { brand: 'DigiCert', validationType: 'OV', domainType: 'multi', grade: 'Pro' };

type Op = (tx: Transaction) => void;
type Outcome = 'issued' | 'rejected' | 'withdrawn' | 'validation_failed' | 'completed';

/** A small deterministic PRNG (mulberry32): the same organisation on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const id = (kind: string, tag: string, n: number) =>
  `${kind}${tag}${n.toString(36).padStart(5, '0')}`;

/** One certificate's life as commit rounds; the entities as the store holds them after each. */
export class Story {
  readonly rounds: Op[][] = [];
  private cert: Certificate;
  private readonly apps = new Map<string, Application>();

  constructor(initial: Certificate, note: AuditNote) {
    this.rounds.push([(tx) => tx.createCertificate(initial, note)]);
    this.cert = asCreated(initial, note.at);
  }

  /** The certificate as it is now, changed; one round. */
  change(note: AuditNote, update: (c: Certificate) => Certificate): this {
    const ops: Op[] = [];
    this.updateCert(ops, update(this.cert), note);
    this.rounds.push(ops);
    return this;
  }

  /**
   * One request for the certificate, from asking to its outcome: the rounds a real one takes
   * (apply; approve; submit; the CA's answer), each at its own time from `at` on.
   */
  request(
    app: Pick<Application, 'id' | 'requesterId' | 'team' | 'domains'> & {
      kind?: Application['kind'];
      contactId?: string;
    },
    at: number,
    outcome: Outcome | 'pending' | 'under_review',
  ): number {
    const application: Application = {
      id: app.id,
      kind: app.kind ?? 'apply',
      certificateId: this.cert.id,
      requesterId: app.requesterId,
      team: app.team,
      status: 'awaiting_approval',
      domains: app.domains,
      ...(app.kind === undefined || app.kind === 'apply'
        ? { validationMethod: this.cert.spec.validationType === 'DV' ? 'dns' : 'email' }
        : {}),
      ...(app.contactId ? { contactId: app.contactId } : {}),
      hosting: false,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    const applied = note(app.requesterId, at, app.kind === 'renewal_purchase' ? 'renew' : 'apply');
    this.round((ops) => {
      ops.push((tx) => tx.createApplication(application, applied));
      this.apps.set(application.id, asCreated(application, at));
      this.updateCert(ops, { ...this.cert, openApplicationId: application.id }, applied);
    });
    if (outcome === 'pending') return at;
    const decidedAt = at + DAY + 2 * HOUR;
    if (outcome === 'rejected') {
      const rejected = note(APPROVER, decidedAt, 'reject', 'domains not owned by the team');
      this.round((ops) => {
        this.updateApp(ops, application.id, (a) => decided(a, 'rejected', decidedAt), rejected);
        this.updateCert(ops, released(this.cert), rejected);
      });
      return decidedAt;
    }
    if (outcome === 'withdrawn') {
      const withdrawnAt = at + 2 * DAY;
      const withdrawn = note(app.requesterId, withdrawnAt, 'withdraw', 'wrong instance');
      this.round((ops) => {
        this.updateApp(ops, application.id, (a) => ({ ...a, status: 'withdrawn' }), withdrawn);
        this.updateCert(ops, released(this.cert), withdrawn);
      });
      return withdrawnAt;
    }
    const approved = note(APPROVER, decidedAt, 'approve');
    this.round((ops) =>
      this.updateApp(ops, application.id, (a) => decided(a, 'approved', decidedAt), approved),
    );
    if (outcome === 'completed') {
      const done = note(SYSTEM, decidedAt + 60_000, 'complete');
      this.round((ops) => {
        this.updateApp(ops, application.id, (a) => ({ ...a, status: 'completed' }), done);
        this.updateCert(ops, released(this.cert), done);
      });
      return decidedAt;
    }
    const submittedAt = decidedAt + 60_000;
    const submitted = note(APPROVER, submittedAt, 'submit', `manual-${application.id}`);
    this.round((ops) => {
      this.updateApp(ops, application.id, (a) => ({ ...a, status: 'submitted' }), submitted);
      this.updateCert(
        ops,
        { ...this.cert, state: 'under_review', caOrderId: `manual-${application.id}` },
        submitted,
      );
    });
    if (outcome === 'under_review') return submittedAt;
    if (outcome === 'validation_failed') {
      const failedAt = submittedAt + 5 * DAY;
      const failed = note(APPROVER, failedAt, 'fail_validation', 'DNS record not found');
      this.round((ops) => {
        this.updateApp(ops, application.id, (a) => ({ ...a, status: 'validation_failed' }), failed);
        this.updateCert(ops, { ...released(this.cert), state: 'validation_failed' }, failed);
      });
      return failedAt;
    }
    const issuedAt = submittedAt + 2 * DAY + 5 * HOUR;
    const issued = note(APPROVER, issuedAt, 'issue');
    const serial = (issuedAt % 1e12).toString(16).toUpperCase();
    this.round((ops) => {
      this.updateApp(ops, application.id, (a) => ({ ...a, status: 'issued' }), issued);
      this.updateCert(
        ops,
        {
          ...released(this.cert),
          state: 'issued',
          domains: app.domains,
          ownerUserId: app.requesterId,
          notBefore: issuedAt,
          notAfter: issuedAt + YEAR,
          issuer: 'DigiCert Global G2 TLS RSA SHA256 2020 CA1',
          serialNumber: serial,
          keyType: 'RSA 2048',
        },
        issued,
      );
    });
    return issuedAt;
  }

  private round(build: (ops: Op[]) => void): void {
    const ops: Op[] = [];
    build(ops);
    this.rounds.push(ops);
  }

  private updateCert(ops: Op[], after: Certificate, at: AuditNote): void {
    const before = this.cert;
    ops.push((tx) => tx.updateCertificate(before, after, at));
    this.cert = asUpdated(before, after, at.at);
  }

  private updateApp(
    ops: Op[],
    appId: string,
    update: (a: Application) => Application,
    at: AuditNote,
  ): void {
    const before = this.apps.get(appId);
    if (!before) throw new Error(`story: no application ${appId}`);
    const after = update(before);
    ops.push((tx) => tx.updateApplication(before, after, at));
    this.apps.set(appId, asUpdated(before, after, at.at));
  }
}

function note(actor: string, at: number, action: string, reason?: string): AuditNote {
  return reason === undefined ? { actor, at, action } : { actor, at, action, reason };
}

function released(cert: Certificate): Certificate {
  const { openApplicationId: _released, ...rest } = cert;
  return rest;
}

function decided(app: Application, status: 'approved' | 'rejected', at: number): Application {
  return {
    ...app,
    status,
    decidedBy: APPROVER,
    decidedAt: at,
    ...(status === 'rejected' ? { decisionReason: 'domains not owned by the team' } : {}),
  };
}

/** A purchased instance waiting for its first request. */
export function instance(
  certId: string,
  name: string,
  team: string,
  spec: Spec,
  at: number,
): Certificate {
  return {
    id: certId,
    name,
    spec,
    validityYears: 1,
    domainQuota: spec.domainType === 'single' ? 1 : 3,
    state: 'pending_application',
    source: 'purchased',
    domains: [],
    team,
    hosted: false,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
}

const purchase = (at: number) => note(APPROVER, at, 'record_purchase', 'bench purchase');

export interface CommitStats {
  readonly stories: number;
  readonly commits: number;
  readonly ms: number;
}

/**
 * Commits `count` stories (made on demand, so 100k of them never sit in memory at once): in
 * batches of `batch`, round by round, `lanes` batches at a time.
 */
export async function commitStories(
  store: RedisStore,
  count: number,
  make: (i: number) => Story,
  options: { batch?: number; lanes?: number } = {},
): Promise<CommitStats> {
  const batch = options.batch ?? 250;
  const started = performance.now();
  let next = 0;
  let commits = 0;
  const lane = async () => {
    while (next < count) {
      const from = next;
      const to = Math.min(count, from + batch);
      next = to;
      const stories: Story[] = [];
      for (let i = from; i < to; i++) stories.push(make(i));
      const rounds = Math.max(...stories.map((s) => s.rounds.length));
      for (let r = 0; r < rounds; r++) {
        const ops = stories.flatMap((s) => s.rounds[r] ?? []);
        if (ops.length === 0) continue;
        const result = await store.commit((tx) => {
          for (const op of ops) op(tx);
        });
        commits++;
        if (!result.ok) throw new Error(`seed commit refused: ${JSON.stringify(result.conflict)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.lanes ?? 8 }, lane));
  return { stories: count, commits, ms: performance.now() - started };
}

// --- the organisation ------------------------------------------------------------------------

export interface AgedOrg {
  readonly now: number;
  readonly certificates: number;
  readonly agedOwned: number;
  readonly agedRequests: number;
  readonly agedTeamInstances: number;
  readonly freshOwned: number;
  readonly freshRequests: number;
  readonly freshTeamInstances: number;
  /** Certificates `/cert status` asks about: the aged person's with the longest history. */
  readonly statusTargets: { readonly aged: string[]; readonly fresh: string[] };
  readonly contacts: { readonly aged: string; readonly fresh: string };
  readonly auditEntries: number;
  readonly seedSeconds: number;
  readonly commits: number;
}

/** The rest of the organisation: certificates of 400 other teams, each with its whole life. */
function bulkStory(i: number, now: number): Story {
  const rand = random(i + 1);
  const team = `t${i % OTHER_TEAMS}`;
  const requester = `UOWNER${i % 1000}`;
  const bought = now - 5 * YEAR + Math.floor(rand() * (5 * YEAR - 40 * DAY));
  const spec = i % 5 === 0 ? OV : DV;
  const story = new Story(
    instance(id('c', 'b', i), `svc-${i}`, team, spec, bought),
    purchase(bought),
  );
  const domains = [`h${i}.svc.example.com`];
  let at = bought + DAY;
  if (rand() < 0.05)
    at =
      story.request(
        { id: id('a', 'r', i), requesterId: requester, team, domains },
        at,
        'rejected',
      ) + DAY;
  const issuedAt = story.request(
    { id: id('a', 'b', i), requesterId: requester, team, domains },
    at,
    'issued',
  );
  const notAfter = issuedAt + YEAR;
  // Renewed before it expired: its renewal (another certificate) took its place.
  if (notAfter < now + 20 * DAY && rand() < 0.9)
    story.change(note(SYSTEM, notAfter - 15 * DAY, 'replace', 'renewal issued'), (c) => ({
      ...c,
      state: 'replaced',
    }));
  return story;
}

/** The aged person's certificate number k, with its share of their 1,500 requests. */
function agedStory(k: number, now: number, contacts: readonly string[]): Story {
  const rand = random(100_000 + k);
  const bought =
    now - 60 * DAY - Math.floor((((k * 37) % AGED_OWNED) / AGED_OWNED) * (5 * YEAR - 120 * DAY));
  const spec = k % 4 === 0 ? OV : DV;
  const story = new Story(
    instance(id('c', 'p', k), `platform-${k}`, AGED_TEAM, spec, bought),
    purchase(bought),
  );
  const domains =
    spec === OV ? [`p${k}.example.com`, `www.p${k}.example.com`] : [`p${k}.example.com`];
  const contactId = contacts[k % contacts.length];
  const base = {
    requesterId: AGED_USER,
    team: AGED_TEAM,
    domains,
    ...(contactId ? { contactId } : {}),
  };
  // The 700 extra requests: 3 for each of the first 100 certificates, 2 for the next 200.
  const extras = k < 100 ? 3 : k < 300 ? 2 : 0;
  const firstExtra = k < 100 ? k * 3 : 300 + (k - 100) * 2;
  const outcomes = Array.from(
    { length: extras },
    (_, j) => EXTRA_PATTERN[(firstExtra + j) % EXTRA_PATTERN.length] ?? 'R',
  );
  let at = bought + DAY;
  let n = 0;
  for (const o of outcomes.filter((x) => x !== 'C')) {
    const outcome = o === 'R' ? 'rejected' : o === 'W' ? 'withdrawn' : 'validation_failed';
    at = story.request({ ...base, id: id('a', 'x', k * 4 + n++) }, at, outcome) + DAY;
  }
  const issuedAt = story.request({ ...base, id: id('a', 'p', k) }, at, 'issued');
  let renewAt = Math.min(issuedAt + YEAR - 25 * DAY, now - 3 * DAY);
  for (const _ of outcomes.filter((x) => x === 'C')) {
    renewAt = Math.max(renewAt, issuedAt + DAY);
    story.request(
      { ...base, id: id('a', 'x', k * 4 + n++), kind: 'renewal_purchase', domains: [] },
      renewAt,
      'completed',
    );
    renewAt += 2 * DAY;
  }
  const notAfter = issuedAt + YEAR;
  if (notAfter < now && rand() < 0.85)
    story.change(note(SYSTEM, notAfter - 10 * DAY, 'replace', 'renewal issued'), (c) => ({
      ...c,
      state: 'replaced',
    }));
  return story;
}

/** The aged team's other 400 instances: team mates' certificates, waiting and open requests. */
function teamStory(k: number, now: number, contacts: readonly string[]): Story {
  const rand = random(200_000 + k);
  const mate = TEAM_MATES[k % TEAM_MATES.length] ?? AGED_USER;
  const kind = k < 230 ? 'issued' : k < 350 ? 'pending' : k < 380 ? 'under_review' : 'failed';
  const bought =
    kind === 'issued'
      ? now - 30 * DAY - Math.floor(rand() * (5 * YEAR - 60 * DAY))
      : now - Math.floor(rand() * 200 * DAY) - 20 * DAY;
  // Half of what waits is OV 1-year: what `/cert combine` offers.
  const spec = kind === 'pending' && k % 2 === 0 ? OV : k % 6 === 0 ? OV : DV;
  const story = new Story(
    instance(id('c', 't', k), `team-${k}`, AGED_TEAM, spec, bought),
    purchase(bought),
  );
  const contactId = contacts[k % contacts.length];
  const base = {
    requesterId: mate,
    team: AGED_TEAM,
    domains: [`m${k}.example.com`],
    ...(contactId ? { contactId } : {}),
  };
  if (kind === 'pending') return story;
  const outcome =
    kind === 'issued' ? 'issued' : kind === 'under_review' ? 'under_review' : 'validation_failed';
  const issuedAt = story.request({ ...base, id: id('a', 't', k) }, bought + DAY, outcome);
  if (kind === 'issued' && issuedAt + YEAR < now && rand() < 0.85)
    story.change(note(SYSTEM, issuedAt + YEAR - 10 * DAY, 'replace', 'renewal issued'), (c) => ({
      ...c,
      state: 'replaced',
    }));
  return story;
}

/** The fresh person's small team: 16 certificates of theirs (18 requests), 8 instances waiting. */
function freshStory(k: number, now: number, contactId: string): Story {
  const bought = now - 130 * DAY + k * 5 * DAY;
  const spec = k >= FRESH_OWNED && k % 2 === 0 ? OV : DV;
  const story = new Story(
    instance(id('c', 'f', k), `fresh-${k}`, FRESH_TEAM, spec, bought),
    purchase(bought),
  );
  if (k >= FRESH_OWNED) return story;
  const base = {
    requesterId: FRESH_USER,
    team: FRESH_TEAM,
    domains: [`f${k}.example.org`],
    contactId,
  };
  let at = bought + DAY;
  if (k < 2) at = story.request({ ...base, id: id('a', 'g', k) }, at, 'rejected') + DAY;
  story.request({ ...base, id: id('a', 'f', k) }, at, 'issued');
  return story;
}

function contactOf(team: string, n: number, at: number, createdBy: string): Contact {
  return {
    id: id('p', team.slice(0, 1), n),
    name: `Contact ${team} ${n}`,
    email: `contact${n}@${team}.example.com`,
    phone: `+86138${team === FRESH_TEAM ? '9' : '1'}${String(n).padStart(6, '0')}`,
    team,
    createdBy,
    createdAt: at,
  };
}

export interface AgedOrgOptions {
  /** Certificates in all (the aged and fresh teams included). */
  readonly certificates: number;
  readonly log?: (line: string) => void;
}

export async function seedAgedOrg(
  store: RedisStore,
  redis: Redis,
  options: AgedOrgOptions,
): Promise<AgedOrg> {
  const log = options.log ?? (() => undefined);
  const now = Date.now();
  const started = performance.now();
  let commits = 0;

  // Contacts first (a team's requests name them): created over the years.
  const agedContacts = Array.from({ length: TEAM_CONTACTS }, (_, n) =>
    contactOf(
      AGED_TEAM,
      n,
      now - 5 * YEAR + n * 140 * DAY,
      TEAM_MATES[n % TEAM_MATES.length] ?? AGED_USER,
    ),
  );
  const freshContact = contactOf(FRESH_TEAM, 0, now - 90 * DAY, FRESH_USER);
  const created = await store.commit((tx) => {
    for (const c of [...agedContacts, freshContact])
      tx.createContact(c, note(c.createdBy, c.createdAt, 'create_contact'));
  });
  if (!created.ok) throw new Error(`seed contacts refused: ${JSON.stringify(created.conflict)}`);
  const contactIds = agedContacts.map((c) => c.id);

  const freshTeam = FRESH_OWNED + FRESH_PENDING;
  const bulk = Math.max(0, options.certificates - AGED_TEAM_SIZE - freshTeam);
  const parts: Array<[string, number, (i: number) => Story]> = [
    ['aged person', AGED_OWNED, (k) => agedStory(k, now, contactIds)],
    ['aged team', AGED_TEAM_SIZE - AGED_OWNED, (k) => teamStory(k, now, contactIds)],
    ['fresh team', freshTeam, (k) => freshStory(k, now, freshContact.id)],
    ['other teams', bulk, (i) => bulkStory(i, now)],
  ];
  for (const [what, count, make] of parts) {
    const stats = await commitStories(store, count, make);
    commits += stats.commits;
    log(
      `seeded ${what}: ${count} certificates with their lives in ${stats.commits} commits, ${Math.round(stats.ms)} ms`,
    );
  }
  const seedSeconds = (performance.now() - started) / 1000;
  // Read back from the store's indexes, not taken from the constants: what was really written.
  const keys = store.keys;
  const listSize = async (by: 'owner' | 'team', who: string) =>
    (await redis.zcard(keys.idx.certList(by, 'live', who))) +
    (await redis.zcard(keys.idx.certList(by, 'other', who)));
  const requestsOf = (user: string) => redis.zcard(keys.idx.appRecentOfRequester(user));
  const auditEntries = await redis.xlen(keys.audit());
  return {
    now,
    certificates: await redis.zcard(keys.idx.certCreated()),
    agedOwned: await listSize('owner', AGED_USER),
    agedRequests: await requestsOf(AGED_USER),
    agedTeamInstances: await listSize('team', AGED_TEAM),
    freshOwned: await listSize('owner', FRESH_USER),
    freshRequests: await requestsOf(FRESH_USER),
    freshTeamInstances: await listSize('team', FRESH_TEAM),
    // The first 100 of the aged person's certificates carry 4 requests each (the most).
    statusTargets: {
      aged: Array.from({ length: 20 }, (_, k) => id('c', 'p', k)),
      fresh: Array.from({ length: FRESH_OWNED }, (_, k) => id('c', 'f', k)),
    },
    contacts: { aged: contactIds[0] ?? '', fresh: freshContact.id },
    auditEntries,
    seedSeconds,
    commits,
  };
}

/**
 * `count` applications awaiting approval, each on an instance of its own (bought for it), as
 * they stand when their request message is in the approvals channel. Written through the store
 * without events: their request messages were posted long ago.
 */
export async function seedPendingApprovals(
  store: RedisStore,
  options: {
    readonly count: number;
    readonly tag: string;
    readonly requester: (i: number) => string;
    readonly team: (i: number) => string;
    readonly contactId?: string;
    readonly at: number;
  },
): Promise<string[]> {
  const ids = Array.from({ length: options.count }, (_, i) => id('a', options.tag, i));
  await commitStories(
    store,
    options.count,
    (i) => {
      const team = options.team(i);
      const story = new Story(
        instance(id('c', options.tag, i), `${options.tag}-${i}`, team, DV, options.at - DAY),
        purchase(options.at - DAY),
      );
      story.request(
        {
          id: ids[i] ?? '',
          requesterId: options.requester(i),
          team,
          domains: [`${options.tag}${i}.approve.example.com`],
          ...(options.contactId ? { contactId: options.contactId } : {}),
        },
        options.at,
        'pending',
      );
      return story;
    },
    { batch: 200, lanes: 4 },
  );
  return ids;
}
