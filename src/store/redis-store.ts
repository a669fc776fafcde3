import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Application, ApplicationStatus } from '../domain/application.js';
import { type Certificate, isLive } from '../domain/certificate.js';
import type { Contact } from '../domain/contact.js';
import type { CreditMove, HostingCredits } from '../domain/hosting.js';
import { type ListRange, listPlacement } from '../domain/listing.js';
import { type Spec, specKey } from '../domain/spec.js';
import { type CertificateState, isApplicableInstance } from '../domain/states.js';
import {
  type ApplicationReader,
  type AuditEntry,
  type AuditNote,
  type AuditReader,
  asCreated,
  asUpdated,
  type CertificateList,
  type CertificateReader,
  type CommitResult,
  type ContactReader,
  type HostingCreditReader,
  type LedgerReader,
  type Page,
  type Store,
  type Transaction,
} from '../usecases/ports/index.js';
import { ChangeSet, type IndexEntry } from './change-set.js';
import {
  applicationHash,
  CorruptEntityError,
  certificateHash,
  contactHash,
  decodeHash,
  decodeHistoryEntry,
  encodeEntity,
  encodeHash,
  encodeHistoryEntry,
  HISTORY_INLINE,
  historyField,
  LEGACY_ENTITY_FIELDS,
  specField,
} from './codecs.js';
import { type EntityKind, type StoreKeys, storeKeys } from './keys.js';

const APPLY_CHANGE_LUA = readFileSync(new URL('./apply-change.lua', import.meta.url), 'utf8');

/**
 * The layout this code reads; RedisStore.migrate brings older data up to it. 2: the list
 * indexes (sorted sets per owner and team, requests by requester and time); 3: the team, owner
 * and requester *sets* they replace are gone; 4: the applicable-instance indexes; 5: hosting
 * credits as a ledger (held at approval, not taken at request; instances marked).
 */
export const SCHEMA_VERSION = 5;
const MIGRATION_LOCK_MS = 10 * 60_000;
/** Key patterns (after the prefix) of the sets schema 3 no longer keeps. */
const REPLACED_SETS = ['idx:cert:team:*', 'idx:cert:owner:*', 'idx:app:requester:*'];
const MIGRATION_WAIT_MS = 15 * 60_000;
/** Ids asked of a state index per SSCAN when collecting specs (a hint to Redis, not a limit). */
const SPEC_SCAN_PAGE = 500;
const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

interface ApplyChangeCommand {
  certopsApplyChange(
    numKeys: number,
    ...args: (string | number)[]
  ): Promise<[string, number?, (string | null)?]>;
}

/**
 * The Redis implementation of the store: one hash per entity (holding its latest history too),
 * set/sorted-set indexes, one global audit stream.
 */
export class RedisStore implements Store {
  readonly keys: StoreKeys;
  readonly ledger: LedgerReader;
  readonly certificates: CertificateReader;
  readonly applications: ApplicationReader;
  readonly contacts: ContactReader;
  readonly hostingCredits: HostingCreditReader;
  readonly audit: AuditReader;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = storeKeys(prefix);
    if (!('certopsApplyChange' in redis)) {
      // EVALSHA with an automatic EVAL fallback after a restart or SCRIPT FLUSH.
      redis.defineCommand('certopsApplyChange', { lua: APPLY_CHANGE_LUA });
    }
    this.ledger = new RedisLedgerReader(redis, this.keys);
    this.certificates = new RedisCertificateReader(redis, this.keys);
    this.applications = new RedisApplicationReader(redis, this.keys);
    this.contacts = new RedisContactReader(redis, this.keys);
    this.hostingCredits = new RedisHostingCreditReader(redis, this.keys);
    this.audit = new RedisAuditReader(redis, this.keys);
  }

  /**
   * Brings an older installation's indexes up to SCHEMA_VERSION, once: the list indexes
   * (`/cert list` pages, schema 3) and the applicable-instance indexes (the apply and combine
   * modals, schema 4) are built for the certificates and requests already stored, then the
   * sets they replace are deleted. Entities are read in pages and their index entries written
   * with ZADD (idempotent), so a migration cut short is simply run again. One process migrates;
   * the others wait for it. Run it with the older version stopped: its writes would not reach
   * the new indexes.
   */
  async migrate(log: (line: string) => void = () => undefined): Promise<number> {
    const schemaKey = this.keys.schema();
    const version = Number((await this.redis.get(schemaKey)) ?? '1');
    if (version >= SCHEMA_VERSION) return version;
    const lockKey = `${schemaKey}:migrating`;
    const token = randomUUID();
    const deadline = Date.now() + MIGRATION_WAIT_MS;
    while (!(await this.redis.set(lockKey, token, 'PX', MIGRATION_LOCK_MS, 'NX'))) {
      // Another process is migrating: wait for it (a lock left by a killed one expires).
      if (Number((await this.redis.get(schemaKey)) ?? '1') >= SCHEMA_VERSION) return SCHEMA_VERSION;
      if (Date.now() > deadline)
        throw new Error('another process has held the migration lock for too long');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    try {
      // Someone may have finished it between our first look and our lock.
      if (Number((await this.redis.get(schemaKey)) ?? '1') >= SCHEMA_VERSION) return SCHEMA_VERSION;
      const started = Date.now();
      let certificates = 0;
      let applications = 0;
      // The newest application asking for hosting, per instance: what its credit is now.
      const hostingRequests = new Map<string, Application>();
      for (const kind of ['cert', 'app'] as const) {
        const prefix = `${this.keys.entity(kind, '')}`;
        let cursor = '0';
        do {
          const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          cursor = next;
          const ids = keys.map((key) => key.slice(prefix.length)).filter((id) => !id.includes(':'));
          const entries =
            kind === 'cert'
              ? (await this.certificates.getMany(ids)).flatMap((c) => {
                  certificates++;
                  return certificateIndexes(this.keys, c);
                })
              : (await this.applications.getMany(ids)).flatMap((a) => {
                  applications++;
                  const newest = hostingRequests.get(a.certificateId);
                  if (
                    a.kind === 'apply' &&
                    a.hosting &&
                    (!newest || newest.createdAt < a.createdAt)
                  )
                    hostingRequests.set(a.certificateId, a);
                  return applicationIndexes(this.keys, a);
                });
          const pipeline = this.redis.pipeline();
          for (const entry of entries)
            if (entry.score !== undefined) pipeline.zadd(entry.key, entry.score, entry.member);
          if (entries.length > 0) {
            // A write that failed must stop the migration before the old sets are dropped.
            for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error;
          }
        } while (cursor !== '0');
      }
      // The sets the list indexes replace (schema 1 and 2): team, owner, requester.
      let dropped = 0;
      for (const pattern of REPLACED_SETS) {
        let cursor = '0';
        do {
          const [next, keys] = await this.redis.scan(
            cursor,
            'MATCH',
            `${this.keys.prefix}:${pattern}`,
            'COUNT',
            500,
          );
          cursor = next;
          if (keys.length > 0) dropped += await this.redis.unlink(...keys);
        } while (cursor !== '0');
      }
      const credits = version < 5 ? await this.migrateCreditLedger(hostingRequests) : undefined;
      await this.redis.set(schemaKey, String(SCHEMA_VERSION));
      log(
        `store migrated to schema ${SCHEMA_VERSION}: list and applicable-instance indexes for ${certificates} certificates and ${applications} requests, ${dropped} replaced sets dropped${credits ? `, hosting credits as a ledger (${credits.held} held, ${credits.spent} spent, ${credits.returned} returned to ${credits.teams} teams)` : ''}, in ${Date.now() - started} ms`,
      );
      return SCHEMA_VERSION;
    } finally {
      await this.redis.eval(RELEASE_LOCK, 1, lockKey, token);
    }
  }

  /**
   * Schema 5: before it, a request asking for hosting took a credit when it was made and kept
   * it. Now a credit is held at approval and spent at issuance, and the instance is marked. From
   * each instance's newest hosting request: waiting for approval, its credit goes back (the
   * approval will hold one); approved, with the CA, or failed validation, the instance holds
   * it; issued, it is spent. A team's `used` is recomputed from the value it had before the
   * migration (kept in `usedBeforeLedger`), so a migration cut short and run again counts once.
   */
  private async migrateCreditLedger(
    newest: ReadonlyMap<string, Application>,
  ): Promise<{ held: number; spent: number; returned: number; teams: number }> {
    const teams = new Map<string, { held: number; returned: number }>();
    const team = (name: string) => {
      const known = teams.get(name);
      if (known) return known;
      const counts = { held: 0, returned: 0 };
      teams.set(name, counts);
      return counts;
    };
    let spent = 0;
    const note = {
      actor: 'certops',
      at: Date.now(),
      action: 'migrate',
      reason: 'hosting-credit ledger',
    };
    const ids = [...newest.keys()];
    for (let i = 0; i < ids.length; i += 200) {
      for (const cert of await this.certificates.getMany(ids.slice(i, i + 200))) {
        const app = newest.get(cert.id);
        if (!app) continue;
        const failedNow = app.status === 'validation_failed' && cert.state === 'validation_failed';
        const mark =
          app.status === 'approved' || app.status === 'submitted' || failedNow
            ? 'held'
            : app.status === 'issued'
              ? 'spent'
              : undefined;
        if (app.status === 'awaiting_approval') team(app.team).returned++;
        if (mark === 'held') team(app.team).held++;
        if (mark === 'spent') spent++;
        if (mark && cert.hostingCredit !== mark) {
          const done = await this.commit((tx) =>
            tx.updateCertificate(cert, { ...cert, hostingCredit: mark }, note),
          );
          if (!done.ok)
            throw new Error(`hosting-credit ledger: ${cert.id} changed during the migration`);
        }
      }
    }
    let held = 0;
    let returned = 0;
    for (const [name, counts] of teams) {
      const key = this.keys.credits(name);
      await this.redis.hsetnx(key, 'usedBeforeLedger', (await this.redis.hget(key, 'used')) ?? '0');
      const before = Number((await this.redis.hget(key, 'usedBeforeLedger')) ?? 0);
      await this.redis.hset(key, {
        team: name,
        used: String(Math.max(0, before - counts.returned)),
        held: String(counts.held),
      });
      held += counts.held;
      returned += counts.returned;
    }
    return { held, spent, returned, teams: teams.size };
  }

  async commit(build: (tx: Transaction) => void): Promise<CommitResult> {
    const change = new ChangeSet();
    build(new RedisTransaction(change, this.keys));
    if (change.isEmpty) return { ok: true };
    const runner = this.redis as unknown as ApplyChangeCommand;
    const [status, checkIndex, actual] = await runner.certopsApplyChange(
      change.keys.length,
      ...change.keys,
      change.toScriptArgument(),
    );
    if (status === 'ok') return { ok: true };
    const conflict = change.conflicts[(checkIndex ?? 0) - 1];
    if (conflict === undefined)
      throw new Error(`apply-change returned an unknown check ${checkIndex}`);
    if (conflict.kind === 'changed' && typeof actual === 'string' && /^\d+$/.test(actual)) {
      return { ok: false, conflict: { ...conflict, actualVersion: Number(actual) } };
    }
    if (
      conflict.kind === 'certificate_tracked' &&
      typeof actual === 'string' &&
      actual !== 'exists'
    ) {
      return { ok: false, conflict: { ...conflict, existingId: actual } };
    }
    return { ok: false, conflict };
  }
}

function certificateIndexes(keys: StoreKeys, c: Certificate): IndexEntry[] {
  const entries: IndexEntry[] = [
    { key: keys.idx.certCreated(), member: c.id, score: c.createdAt },
    { key: keys.idx.certState(c.state), member: c.id },
  ];
  const place = listPlacement(c);
  entries.push({
    key: keys.idx.certList('team', place.of, c.team),
    member: c.id,
    score: place.score,
  });
  if (c.ownerUserId)
    entries.push({
      key: keys.idx.certList('owner', place.of, c.ownerUserId),
      member: c.id,
      score: place.score,
    });
  if (isApplicableInstance(c)) {
    const key = keys.idx.certApplicable(c.team);
    entries.push(
      { key, member: applicableMember('name', c.name, c.id), score: 0 },
      { key, member: applicableMember('id', c.id, c.id), score: 0 },
    );
  }
  // Only live certificates are watched for expiry; a replaced or revoked one drops out.
  if (isLive(c) && c.notAfter !== undefined) {
    entries.push({ key: keys.idx.certNotAfter(), member: c.id, score: c.notAfter });
  }
  return entries;
}

function applicationIndexes(keys: StoreKeys, a: Application): IndexEntry[] {
  const entries: IndexEntry[] = [
    { key: keys.idx.appStatus(a.status), member: a.id },
    { key: keys.idx.appCertificate(a.certificateId), member: a.id, score: a.createdAt },
    { key: keys.idx.appRecentOfRequester(a.requesterId), member: a.id, score: a.createdAt },
  ];
  // SLA clocks run only while the CA is reviewing, and each point leaves its index once notified.
  if (a.status === 'submitted' && a.sla) {
    if (a.slaNotified === undefined)
      entries.push({ key: keys.idx.appRemindAt(), member: a.id, score: a.sla.remindAt });
    if (a.slaNotified !== 'breach')
      entries.push({ key: keys.idx.appBreachAt(), member: a.id, score: a.sla.breachAt });
  }
  return entries;
}

/**
 * A member of a team's applicable-instance index: `n:<name>` or `i:<id>`, lower-cased (prefix
 * search ignores case), then NUL and the id. Names sort by their UTF-8 bytes.
 */
function applicableMember(by: 'name' | 'id', text: string, id: string): string {
  return `${by === 'name' ? 'n' : 'i'}:${text.toLowerCase()}\u0000${id}`;
}

const idOfApplicableMember = (member: string) => member.slice(member.lastIndexOf('\u0000') + 1);

/** A score bound as Redis reads it. */
function bound(score: number): string {
  if (score === Number.POSITIVE_INFINITY) return '+inf';
  if (score === Number.NEGATIVE_INFINITY) return '-inf';
  return String(score);
}

class RedisTransaction implements Transaction {
  private readonly creditTeams = new Set<string>();

  constructor(
    private readonly change: ChangeSet,
    private readonly keys: StoreKeys,
  ) {}

  createCertificate(cert: Certificate, note: AuditNote): void {
    if (cert.fingerprintSha256) {
      const key = this.keys.certFingerprint(cert.fingerprintSha256);
      this.change.expectAbsent(key, {
        kind: 'certificate_tracked',
        fingerprint: cert.fingerprintSha256,
      });
      this.change.set(key, cert.id);
    }
    this.create('cert', cert, certificateIndexes(this.keys, cert), note, { to: cert.state });
  }

  updateCertificate(before: Certificate, after: Certificate, note: AuditNote): void {
    if (after.fingerprintSha256 && after.fingerprintSha256 !== before.fingerprintSha256) {
      const key = this.keys.certFingerprint(after.fingerprintSha256);
      this.change.expectAbsent(key, {
        kind: 'certificate_tracked',
        fingerprint: after.fingerprintSha256,
      });
      this.change.set(key, after.id);
    }
    this.update('cert', before, after, certificateIndexes, note, {
      from: before.state,
      to: after.state,
    });
  }

  createApplication(app: Application, note: AuditNote): void {
    this.create('app', app, applicationIndexes(this.keys, app), note, { to: app.status });
  }

  updateApplication(before: Application, after: Application, note: AuditNote): void {
    this.update('app', before, after, applicationIndexes, note, {
      from: before.status,
      to: after.status,
    });
  }

  createContact(contact: Contact, note: AuditNote): void {
    const { keys, change } = this;
    change.expectAbsent(keys.contactEmail(contact.email), {
      kind: 'contact_taken',
      field: 'email',
    });
    change.expectAbsent(keys.contactPhone(contact.phone), {
      kind: 'contact_taken',
      field: 'phone',
    });
    change.set(keys.contactEmail(contact.email), contact.id);
    change.set(keys.contactPhone(contact.phone), contact.id);
    this.create(
      'contact',
      contact,
      [{ key: keys.idx.contactTeam(contact.team), member: contact.id }],
      note,
      {},
    );
  }

  addHostingCredits(team: string, count: number, note: AuditNote): void {
    if (!Number.isInteger(count) || count < 1)
      throw new Error(`hosting credits to add must be a positive integer, got ${count}`);
    this.claimCreditTeam(team);
    const key = this.keys.credits(team);
    this.change.hincrby(key, 'purchased', count);
    this.change.hset(key, { team });
    this.appendAudit({
      ...note,
      entity: 'credits',
      entityId: team,
      reason: note.reason ?? `+${count}`,
    });
  }

  /**
   * The team's credit hash keeps `purchased`, `used` (held + spent: what a hold is budgeted
   * against) and `held`; spent is used - held.
   */
  moveHostingCredit(team: string, move: CreditMove, note: AuditNote): void {
    this.claimCreditTeam(team);
    const key = this.keys.credits(team);
    const conflict = { kind: 'no_credits', team } as const;
    if (move === 'hold') {
      this.change.expectBudget(key, 'used', 'purchased', 1, conflict);
      this.change.hincrby(key, 'used', 1);
      this.change.hincrby(key, 'held', 1);
    } else {
      // 'zero' is never written: the check is held >= 1.
      this.change.expectBudget(key, 'zero', 'held', 1, conflict);
      this.change.hincrby(key, 'held', -1);
      if (move === 'release') this.change.hincrby(key, 'used', -1);
    }
    this.change.hset(key, { team });
    this.appendAudit({ ...note, entity: 'credits', entityId: team, reason: note.reason ?? move });
  }

  once(key: string, ttlMs: number): void {
    const redisKey = this.keys.idempotency(key);
    this.change.expectAbsent(redisKey, { kind: 'duplicate', key });
    this.change.set(redisKey, '1', ttlMs);
  }

  recordSent(subject: string, entry: string, note: AuditNote): void {
    const key = this.keys.ledger(subject);
    this.change.expectField(key, entry, undefined, {
      kind: 'duplicate',
      key: `${subject}/${entry}`,
    });
    this.change.hset(key, { [entry]: String(note.at) });
    this.change.xadd(
      this.keys.audit(),
      encodeHash({ ...note, entity: 'ledger', entityId: subject, reason: note.reason ?? entry }),
    );
  }

  // One credit operation per team per change keeps the budget check exact.
  private claimCreditTeam(team: string): void {
    if (this.creditTeams.has(team))
      throw new Error(`one hosting-credit operation per team per change (${team})`);
    this.creditTeams.add(team);
  }

  private create(
    kind: EntityKind,
    entity: { id: string; createdAt: number },
    indexes: IndexEntry[],
    note: AuditNote,
    states: { to?: string },
  ): void {
    const key = this.keys.entity(kind, entity.id);
    this.change.expectAbsent(key, { kind: 'exists', entity: kind, id: entity.id });
    // Contacts are immutable records without a version; entities start at version 1.
    const written =
      kind === 'contact' ? entity : asCreated({ ...entity, version: 0, updatedAt: 0 }, note.at);
    const entry: AuditEntry = { ...note, entity: kind, entityId: entity.id, ...states };
    this.change.hset(key, {
      ...encodeEntity(written),
      [historyField(1)]: encodeHistoryEntry(entry),
    });
    for (const index of indexes) this.change.addIndex(index);
    this.appendAudit(entry);
  }

  private update<T extends { id: string; version: number; updatedAt: number }>(
    kind: 'cert' | 'app',
    before: T,
    after: T,
    indexesOf: (keys: StoreKeys, entity: T) => IndexEntry[],
    note: AuditNote,
    states: { from: string; to: string },
  ): void {
    if (after.id !== before.id)
      throw new Error(`update must keep the id (${before.id} -> ${after.id})`);
    const key = this.keys.entity(kind, before.id);
    this.change.expectField(key, 'version', String(before.version), {
      kind: 'changed',
      entity: kind,
      id: before.id,
    });
    const written = asUpdated(before, after, note.at);
    const entry: AuditEntry = {
      ...note,
      entity: kind,
      entityId: before.id,
      ...(states.from === states.to ? {} : states),
    };
    const fields = encodeEntity(written);
    this.change.hset(key, {
      ...fields,
      [historyField(written.version)]: encodeHistoryEntry(entry),
    });
    const dropped = Object.keys(encodeEntity(before)).filter((name) => !(name in fields));
    if (written.version > HISTORY_INLINE)
      dropped.push(historyField(written.version - HISTORY_INLINE));
    this.change.hdel(key, [...dropped, ...LEGACY_ENTITY_FIELDS]);
    this.change.moveIndexes(indexesOf(this.keys, before), indexesOf(this.keys, written));
    this.appendAudit(entry);
  }

  /** Every entry goes to the global stream; an entity's own history is written with its hash. */
  private appendAudit(entry: AuditEntry): void {
    this.change.xadd(this.keys.audit(), encodeHash(entry));
    if (entry.entity === 'credits') {
      this.change.rpush(
        this.keys.entityAudit(entry.entity, entry.entityId),
        encodeHistoryEntry(entry),
      );
    }
  }
}

async function hashes(redis: Redis, keys: string[]): Promise<Record<string, string>[]> {
  if (keys.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.hgetall(key);
  const replies = (await pipeline.exec()) ?? [];
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value as Record<string, string>;
  });
}

class RedisLedgerReader implements LedgerReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  async entries(subject: string): Promise<Record<string, number>> {
    return toEntries(await this.redis.hgetall(this.keys.ledger(subject)));
  }

  async entriesOfMany(subjects: readonly string[]): Promise<Record<string, number>[]> {
    return (
      await hashes(
        this.redis,
        subjects.map((s) => this.keys.ledger(s)),
      )
    ).map(toEntries);
  }
}

function toEntries(hash: Record<string, string>): Record<string, number> {
  return Object.fromEntries(Object.entries(hash).map(([entry, at]) => [entry, Number(at)]));
}

class RedisCertificateReader implements CertificateReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  async get(id: string): Promise<Certificate | undefined> {
    const key = this.keys.entity('cert', id);
    return decodeHash(certificateHash, key, id, await this.redis.hgetall(key));
  }

  async getMany(ids: readonly string[]): Promise<Certificate[]> {
    const keys = ids.map((id) => this.keys.entity('cert', id));
    const found = await hashes(this.redis, keys);
    return found.flatMap(
      (hash, i) => decodeHash(certificateHash, keys[i] ?? '', ids[i] ?? '', hash) ?? [],
    );
  }

  async idByFingerprint(fingerprintSha256: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.certFingerprint(fingerprintSha256))) ?? undefined;
  }

  idsExpiringBetween(fromMs: number, toMs: number, page: Page): Promise<string[]> {
    return this.redis.zrangebyscore(
      this.keys.idx.certNotAfter(),
      fromMs,
      toMs,
      'LIMIT',
      page.offset,
      page.limit,
    );
  }

  idsInState(state: CertificateState): Promise<string[]> {
    return this.redis.smembers(this.keys.idx.certState(state));
  }

  async specsInStates(states: readonly CertificateState[]): Promise<Spec[]> {
    const found = new Map<string, Spec>();
    for (const state of new Set(states)) {
      let cursor = '0';
      do {
        const [next, ids] = await this.redis.sscan(
          this.keys.idx.certState(state),
          cursor,
          'COUNT',
          SPEC_SCAN_PAGE,
        );
        cursor = next;
        if (ids.length === 0) continue;
        const pipeline = this.redis.pipeline();
        for (const id of ids) pipeline.hget(this.keys.entity('cert', id), 'spec');
        const replies = (await pipeline.exec()) ?? [];
        replies.forEach(([error, value], i) => {
          if (error) throw error;
          // Gone (or moved on) since the scan: nothing to check.
          if (typeof value !== 'string') return;
          const key = this.keys.entity('cert', ids[i] ?? '');
          const parsed = specField.safeParse(value);
          if (!parsed.success)
            throw new CorruptEntityError(key, `spec: ${parsed.error.issues[0]?.message ?? ''}`);
          const spec = parsed.data;
          if (!found.has(specKey(spec))) found.set(specKey(spec), spec);
        });
      } while (cursor !== '0');
    }
    return [...found.values()];
  }

  idsOwnedBy(userId: string): Promise<string[]> {
    return this.wholeList({ by: 'owner', id: userId });
  }

  idsOfTeam(team: string): Promise<string[]> {
    return this.wholeList({ by: 'team', id: team });
  }

  async applicableOfTeam(
    team: string,
    search: { readonly query?: string; readonly limit: number },
  ): Promise<{ ids: string[]; total: number }> {
    const key = this.keys.idx.certApplicable(team);
    const query = (search.query ?? '').trimStart().toLowerCase();
    const limit = Math.max(0, search.limit);
    // [n: up to (n; is every name entry (';' follows ':'); a prefix ends at the prefix + 0xff.
    const range = (tag: 'n' | 'i'): [string | Buffer, string | Buffer] =>
      query === ''
        ? [`[${tag}:`, `(${tag};`]
        : [
            `[${tag}:${query}`,
            Buffer.concat([Buffer.from(`[${tag}:${query}`), Buffer.from([0xff])]),
          ];
    const pipeline = this.redis.pipeline();
    pipeline.zlexcount(key, ...range('n'));
    pipeline.zrangebylex(key, ...range('n'), 'LIMIT', 0, limit);
    if (query !== '') pipeline.zrangebylex(key, ...range('i'), 'LIMIT', 0, limit);
    const replies = (await pipeline.exec()) ?? [];
    for (const [error] of replies) if (error) throw error;
    const [count, ...pages] = replies.map(([, value]) => value);
    const ids = [...new Set((pages as string[][]).flat().map(idOfApplicableMember))].slice(
      0,
      limit,
    );
    return { ids, total: Number(count) };
  }

  /** Every certificate of a list (its live and other sorted sets), in no particular order. */
  private async wholeList(list: CertificateList): Promise<string[]> {
    const [live, other] = await Promise.all([
      this.redis.zrange(this.keys.idx.certList(list.by, 'live', list.id), '0', '-1'),
      this.redis.zrange(this.keys.idx.certList(list.by, 'other', list.id), '0', '-1'),
    ]);
    return [...live, ...other];
  }

  async countInRanges(list: CertificateList, ranges: readonly ListRange[]): Promise<number[]> {
    if (ranges.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const r of ranges)
      pipeline.zcount(
        this.keys.idx.certList(list.by, r.of, list.id),
        bound(r.from),
        `(${bound(r.to)}`,
      );
    const results = (await pipeline.exec()) ?? [];
    return results.map(([error, count]) => {
      if (error) throw error;
      return Number(count);
    });
  }

  idsInRange(list: CertificateList, range: ListRange, page: Page): Promise<string[]> {
    if (page.limit <= 0) return Promise.resolve([]);
    return this.redis.zrangebyscore(
      this.keys.idx.certList(list.by, range.of, list.id),
      bound(range.from),
      `(${bound(range.to)}`,
      'LIMIT',
      page.offset,
      page.limit,
    );
  }

  ids(page: Page): Promise<string[]> {
    return this.redis.zrevrange(
      this.keys.idx.certCreated(),
      page.offset,
      page.offset + page.limit - 1,
    );
  }

  count(): Promise<number> {
    return this.redis.zcard(this.keys.idx.certCreated());
  }
}

class RedisApplicationReader implements ApplicationReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  async get(id: string): Promise<Application | undefined> {
    const key = this.keys.entity('app', id);
    return decodeHash(applicationHash, key, id, await this.redis.hgetall(key));
  }

  async getMany(ids: readonly string[]): Promise<Application[]> {
    const keys = ids.map((id) => this.keys.entity('app', id));
    const found = await hashes(this.redis, keys);
    return found.flatMap(
      (hash, i) => decodeHash(applicationHash, keys[i] ?? '', ids[i] ?? '', hash) ?? [],
    );
  }

  idsWithStatus(status: ApplicationStatus): Promise<string[]> {
    return this.redis.smembers(this.keys.idx.appStatus(status));
  }

  idsOfCertificate(certificateId: string): Promise<string[]> {
    return this.redis.zrange(this.keys.idx.appCertificate(certificateId), '0', '-1');
  }

  idsOfRequester(userId: string): Promise<string[]> {
    return this.redis.zrange(this.keys.idx.appRecentOfRequester(userId), '0', '-1');
  }

  async certificatesRecentlyRequested(userId: string, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const ids = await this.redis.zrevrange(
      this.keys.idx.appRecentOfRequester(userId),
      0,
      limit - 1,
    );
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.entity('app', id), 'certificateId');
    const found: string[] = [];
    for (const [error, value] of (await pipeline.exec()) ?? []) {
      if (error) throw error;
      if (typeof value === 'string' && value !== '') found.push(value);
    }
    return [...new Set(found)];
  }

  idsDueForReminder(atMs: number, page: Page): Promise<string[]> {
    return this.redis.zrangebyscore(
      this.keys.idx.appRemindAt(),
      '-inf',
      atMs,
      'LIMIT',
      page.offset,
      page.limit,
    );
  }

  idsDueForBreach(atMs: number, page: Page): Promise<string[]> {
    return this.redis.zrangebyscore(
      this.keys.idx.appBreachAt(),
      '-inf',
      atMs,
      'LIMIT',
      page.offset,
      page.limit,
    );
  }
}

class RedisContactReader implements ContactReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  async get(id: string): Promise<Contact | undefined> {
    const key = this.keys.entity('contact', id);
    return decodeHash(contactHash, key, id, await this.redis.hgetall(key));
  }

  async listOfTeam(team: string): Promise<Contact[]> {
    const ids = (await this.redis.smembers(this.keys.idx.contactTeam(team))).sort();
    const keys = ids.map((id) => this.keys.entity('contact', id));
    const found = await hashes(this.redis, keys);
    return found.flatMap(
      (hash, i) => decodeHash(contactHash, keys[i] ?? '', ids[i] ?? '', hash) ?? [],
    );
  }
}

class RedisHostingCreditReader implements HostingCreditReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  async get(team: string): Promise<HostingCredits> {
    const [purchased, used, held] = await this.redis.hmget(
      this.keys.credits(team),
      'purchased',
      'used',
      'held',
    );
    const holding = Number(held ?? 0);
    return {
      team,
      purchased: Number(purchased ?? 0),
      held: holding,
      spent: Number(used ?? 0) - holding,
    };
  }
}

class RedisAuditReader implements AuditReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  /**
   * Older versions kept an entity's history in a list of its own (credits still do); the
   * entries written since live in the entity's hash. Both are read, the list's first.
   */
  async history(entity: AuditEntry['entity'], id: string, limit: number): Promise<AuditEntry[]> {
    if (limit <= 0) return [];
    const noHash: Record<string, string> = {};
    const [listed, inline] = await Promise.all([
      this.redis.lrange(this.keys.entityAudit(entity, id), -limit, -1),
      entity === 'credits' ? noHash : this.redis.hgetall(this.keys.entity(entity, id)),
    ]);
    const versions = Object.keys(inline)
      .filter((name) => name.startsWith('@'))
      .map((name) => Number(name.slice(1)))
      .filter((version) => Number.isInteger(version))
      .sort((a, b) => a - b);
    const rows = [...listed, ...versions.map((v) => inline[historyField(v)] ?? '')].slice(-limit);
    return rows.map((row) => ({ entity, entityId: id, ...decodeHistoryEntry(row) }));
  }
}
