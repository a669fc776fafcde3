import type { Application, ApplicationStatus } from '../../domain/application.js';
import type { Certificate } from '../../domain/certificate.js';
import type { Contact } from '../../domain/contact.js';
import type { CreditMove, HostingCredits } from '../../domain/hosting.js';
import type { ListRange } from '../../domain/listing.js';
import type { Spec } from '../../domain/spec.js';
import type { CertificateState } from '../../domain/states.js';

/**
 * What the use cases need from storage. The Redis store implements it (src/store); reads are
 * plain lookups, and every write goes through `commit`, which applies a whole change (entities,
 * indexes, audit) atomically or not at all.
 */
export interface Store {
  readonly ledger: LedgerReader;
  readonly certificates: CertificateReader;
  readonly applications: ApplicationReader;
  readonly contacts: ContactReader;
  readonly hostingCredits: HostingCreditReader;
  readonly audit: AuditReader;
  commit(build: (tx: Transaction) => void): Promise<CommitResult>;
}

/** Who did what, when and why: every write carries one; the store appends it to the audit log. */
export interface AuditNote {
  readonly actor: string;
  readonly at: number;
  readonly action: string;
  readonly reason?: string;
}

export interface AuditEntry extends AuditNote {
  readonly entity: 'cert' | 'app' | 'contact' | 'credits';
  readonly entityId: string;
  readonly from?: string;
  readonly to?: string;
}

export interface Transaction {
  /** Refused as a conflict if an entity with this id, or a certificate with its fingerprint, exists. */
  createCertificate(cert: Certificate, note: AuditNote): void;
  /** `before` is what was read; the write is refused as a conflict if the stored version moved on. */
  updateCertificate(before: Certificate, after: Certificate, note: AuditNote): void;
  createApplication(app: Application, note: AuditNote): void;
  updateApplication(before: Application, after: Application, note: AuditNote): void;
  /** Refused as a conflict if the email or phone already belongs to a contact. */
  createContact(contact: Contact, note: AuditNote): void;
  addHostingCredits(team: string, count: number, note: AuditNote): void;
  /**
   * Moves one of the team's hosting credits (domain hosting.ts): `hold` is refused as
   * `no_credits` unless one is available; `spend` and `release` need a held one (refused as
   * `no_credits` too, which cannot happen while each instance's mark moves in the same change).
   */
  moveHostingCredit(team: string, move: CreditMove, note: AuditNote): void;
  /** The whole change happens at most once per key within `ttlMs` (Slack retries, double clicks). */
  once(key: string, ttlMs: number): void;
  /**
   * Records in the ledger that `entry` of `subject` was sent (a reminder threshold, an
   * escalation), forever; refused as `duplicate` if it already was.
   */
  recordSent(subject: string, entry: string, note: AuditNote): void;
}

export type Conflict =
  | {
      readonly kind: 'changed';
      readonly entity: string;
      readonly id: string;
      readonly actualVersion?: number;
    }
  | { readonly kind: 'exists'; readonly entity: string; readonly id: string }
  | { readonly kind: 'contact_taken'; readonly field: 'email' | 'phone' }
  /** A certificate with this SHA-256 fingerprint is already tracked. */
  | {
      readonly kind: 'certificate_tracked';
      readonly fingerprint: string;
      readonly existingId?: string;
    }
  | { readonly kind: 'no_credits'; readonly team: string }
  | { readonly kind: 'duplicate'; readonly key: string };

export type CommitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly conflict: Conflict };

/** What was sent, per subject (e.g. `sla:<applicationId>`, `expiry:<certId>:<notAfter>`). */
export interface LedgerReader {
  /** Entry -> when it was recorded (epoch ms). */
  entries(subject: string): Promise<Readonly<Record<string, number>>>;
  entriesOfMany(
    subjects: readonly string[],
  ): Promise<ReadonlyArray<Readonly<Record<string, number>>>>;
}

export interface Page {
  readonly offset: number;
  readonly limit: number;
}

/** A person's (owner) or a team's certificates, in list order (domain/listing.ts). */
export interface CertificateList {
  readonly by: 'owner' | 'team';
  readonly id: string;
}

export interface CertificateReader {
  get(id: string): Promise<Certificate | undefined>;
  getMany(ids: readonly string[]): Promise<Certificate[]>;
  idByFingerprint(fingerprintSha256: string): Promise<string | undefined>;
  /** Live certificates with notAfter in [fromMs, toMs], soonest first. */
  idsExpiringBetween(fromMs: number, toMs: number, page: Page): Promise<string[]>;
  idsInState(state: CertificateState): Promise<string[]>;
  /**
   * The distinct specs (by `specKey`) of the certificates in these states. Reads only their spec,
   * a page of the state index at a time: memory holds the distinct specs, not the certificates.
   */
  specsInStates(states: readonly CertificateState[]): Promise<Spec[]>;
  idsOwnedBy(userId: string): Promise<string[]>;
  idsOfTeam(team: string): Promise<string[]>;
  /**
   * A team's instances someone may apply for now (domain `isApplicableInstance`), by name, at
   * most `limit`; with a query, those whose name or id starts with it (case ignored). `total`
   * counts the names matched.
   */
  applicableOfTeam(
    team: string,
    search: { readonly query?: string; readonly limit: number },
  ): Promise<{ ids: string[]; total: number }>;
  /** How many of a list's certificates lie in each range (one round trip). */
  countInRanges(list: CertificateList, ranges: readonly ListRange[]): Promise<number[]>;
  /** One page of a range of a list, in list order. */
  idsInRange(list: CertificateList, range: ListRange, page: Page): Promise<string[]>;
  /** All certificates, newest first. */
  ids(page: Page): Promise<string[]>;
  count(): Promise<number>;
}

export interface ApplicationReader {
  get(id: string): Promise<Application | undefined>;
  getMany(ids: readonly string[]): Promise<Application[]>;
  idsWithStatus(status: ApplicationStatus): Promise<string[]>;
  idsOfCertificate(certificateId: string): Promise<string[]>;
  idsOfRequester(userId: string): Promise<string[]>;
  /**
   * The certificates of a person's newest `limit` requests, newest first, each once. Reads the
   * requests' certificate ids only, not the requests.
   */
  certificatesRecentlyRequested(userId: string, limit: number): Promise<string[]>;
  /** Submitted applications whose SLA reminder / breach point is at or before `atMs`. */
  idsDueForReminder(atMs: number, page: Page): Promise<string[]>;
  idsDueForBreach(atMs: number, page: Page): Promise<string[]>;
}

export interface ContactReader {
  get(id: string): Promise<Contact | undefined>;
  listOfTeam(team: string): Promise<Contact[]>;
}

export interface HostingCreditReader {
  get(team: string): Promise<HostingCredits>;
}

export interface AuditReader {
  /** One entity's history, oldest first, at most `limit` entries (the newest ones). */
  history(entity: AuditEntry['entity'], id: string, limit: number): Promise<AuditEntry[]>;
}

/** What the store holds after creating `entity` (the store writes exactly this). */
export function asCreated<T extends { version: number; updatedAt: number }>(
  entity: T,
  at: number,
): T {
  return { ...entity, version: 1, updatedAt: at };
}

/** What the store holds after updating `before` to `after` (the store writes exactly this). */
export function asUpdated<T extends { version: number; updatedAt: number }>(
  before: T,
  after: T,
  at: number,
): T {
  return { ...after, version: before.version + 1, updatedAt: at };
}

/** Plain keys and values for adapters' small state; not for entities (those go through commit). */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only if absent; true when this call set it (one winner among racing callers). */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
}
