import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import type { Contact } from '../domain/contact.js';
import type { HostingCredits } from '../domain/hosting.js';
import {
  DASHBOARD_GROUPS,
  type DashboardGroup,
  dashboardRanges,
  groupAmong,
  inRange,
  LIST_GROUPS,
  type ListGroup,
  type ListRange,
  listPlacement,
  listRanges,
} from '../domain/listing.js';
import { canListAllCertificates, canSeeOtherTeamsCertificates } from '../domain/permissions.js';
import { type ExpiryView, expiryView, renewalWindowStart } from '../domain/renewal.js';
import { ok, type Result, refuse } from '../domain/result.js';
import type { UseCaseContext } from './context.js';
import type { AuditEntry, CertificateList, Page } from './ports/index.js';

export const LIST_SCOPES = ['mine', 'team', 'expiring', 'all'] as const;
export type ListScope = (typeof LIST_SCOPES)[number];

export interface CertificateRow {
  readonly certificate: Certificate;
  readonly expiry?: ExpiryView;
}

/** The most rows one query returns; Slack pages through them. */
export const MAX_LIST_ROWS = 500;

/** One page of a list and how many the whole list holds. */
export interface CertificatePage {
  readonly rows: readonly CertificateRow[];
  readonly total: number;
  /** Where the page starts in the list (a page asked for past the end is the last one). */
  readonly offset: number;
}

/** The newest requests `mine` shows the certificates of, besides what the person owns. */
export const MINE_RECENT_REQUESTS = 20;

/** Groups each scope shows, in order. */
const SCOPE_GROUPS: Readonly<Record<Exclude<ListScope, 'all'>, readonly ListGroup[]>> = {
  mine: LIST_GROUPS,
  team: LIST_GROUPS,
  expiring: ['expired', 'expiring'],
};

/**
 * `/cert list`, one page: mine (owned, and the certificates of my newest requests), my team's,
 * expiring (my team's expired or inside the window), all (approvers and admins only). Most
 * urgent group first (expired, expiring, in progress, valid, closed), soonest expiry first.
 * The page is read from the store's list indexes: a count per group and the page's ids, never
 * the whole list, so its cost does not grow with a person's or a team's history.
 */
export async function listCertificates(
  ctx: UseCaseContext,
  userId: string,
  scope: ListScope,
  page: Page,
): Promise<Result<CertificatePage>> {
  const now = ctx.clock.now();
  const timeZone = ctx.policy.timeZone;
  if (scope === 'all') {
    if (!canListAllCertificates(ctx.policy, userId)) return refuse('list.all_not_allowed');
    return ok(await newestOfAll(ctx, now, page));
  }
  const list: CertificateList =
    scope === 'mine' ? { by: 'owner', id: userId } : { by: 'team', id: ctx.teams.teamOf(userId) };
  const allRanges = listRanges(now, timeZone);
  const ranges = SCOPE_GROUPS[scope].flatMap((group) => allRanges[group]);
  const extras = scope === 'mine' ? await requestedNotOwned(ctx, userId, ranges) : [];
  return ok(await readPage(ctx, list, ranges, extras, page, now));
}

/** A page past the end is the last page (a stale Next button, a forged one). */
async function readPage(
  ctx: UseCaseContext,
  list: CertificateList,
  ranges: readonly ListRange[],
  extras: readonly Certificate[][],
  page: Page,
  now: Date,
): Promise<CertificatePage> {
  const timeZone = ctx.policy.timeZone;
  const counts = await ctx.store.certificates.countInRanges(list, ranges);
  const total = counts.reduce((a, b) => a + b, 0) + extras.flat().length;
  if (page.offset >= total && total > 0 && page.limit > 0) {
    const last = Math.floor((total - 1) / page.limit) * page.limit;
    return readPage(ctx, list, ranges, extras, { offset: last, limit: page.limit }, now);
  }

  // Walk the ranges in order: each one's indexed certificates, then the requested ones in it.
  const wanted: Array<string | Certificate> = [];
  let skip = Math.max(0, page.offset);
  let need = Math.max(0, page.limit);
  for (const [i, range] of ranges.entries()) {
    if (need === 0) break;
    const count = counts[i] ?? 0;
    if (skip >= count) skip -= count;
    else {
      const take = Math.min(need, count - skip);
      wanted.push(
        ...(await ctx.store.certificates.idsInRange(list, range, { offset: skip, limit: take })),
      );
      need -= take;
      skip = 0;
    }
    const more = extras[i] ?? [];
    if (skip >= more.length) skip -= more.length;
    else {
      const taken = more.slice(skip, skip + need);
      wanted.push(...taken);
      need -= taken.length;
      skip = 0;
    }
  }
  const fetched = new Map(
    (
      await ctx.store.certificates.getMany(wanted.filter((w): w is string => typeof w === 'string'))
    ).map((c) => [c.id, c]),
  );
  const rows = wanted.flatMap((w) => {
    const certificate = typeof w === 'string' ? fetched.get(w) : w;
    return certificate ? [row(certificate, now, timeZone)] : [];
  });
  return { rows, total, offset: page.offset };
}

/**
 * Certificates of the person's newest requests that the person does not own (an instance
 * applied for is owned from its issuance on), sorted into the ranges they fall in.
 */
async function requestedNotOwned(
  ctx: UseCaseContext,
  userId: string,
  ranges: readonly ListRange[],
): Promise<Certificate[][]> {
  const ids = await ctx.store.applications.certificatesRecentlyRequested(
    userId,
    MINE_RECENT_REQUESTS,
  );
  const byRange: Certificate[][] = ranges.map(() => []);
  const certs = await ctx.store.certificates.getMany(ids);
  // In list order within their range: by score (notAfter, or state rank), then id.
  const order = (a: Certificate, b: Certificate) =>
    listPlacement(a).score - listPlacement(b).score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const cert of certs.sort(order)) {
    if (cert.ownerUserId === userId) continue;
    const place = listPlacement(cert);
    const i = ranges.findIndex((r) => inRange(r, place));
    if (i >= 0) byRange[i]?.push(cert);
  }
  return byRange;
}

/** `all`: the newest MAX_LIST_ROWS certificates, in list order, one page of them. */
async function newestOfAll(ctx: UseCaseContext, now: Date, page: Page): Promise<CertificatePage> {
  const certs = await ctx.store.certificates.getMany(
    await ctx.store.certificates.ids({ offset: 0, limit: MAX_LIST_ROWS }),
  );
  // Placed and grouped once each, not in every comparison of the sort.
  const ranges = listRanges(now, ctx.policy.timeZone);
  const keyed = certs.map((certificate) => {
    const placement = listPlacement(certificate);
    return {
      row: row(certificate, now, ctx.policy.timeZone),
      group: LIST_GROUPS.indexOf(groupAmong(ranges, placement)),
      score: placement.score,
    };
  });
  const sorted = keyed
    .sort((a, b) => a.group - b.group || a.score - b.score || bySoonestExpiry(a.row, b.row))
    .map((k) => k.row);
  const pages = Math.max(1, Math.ceil(sorted.length / Math.max(1, page.limit)));
  const offset = Math.min(page.offset, (pages - 1) * page.limit);
  return { rows: sorted.slice(offset, offset + page.limit), total: sorted.length, offset };
}

/** Certificates read per dashboard group and list: enough to pick what needs attention. */
export const DASHBOARD_ROWS_READ = 16;

/** The App Home's certificates: a few of each group, and how many each group holds. */
export interface Dashboard {
  /** The first DASHBOARD_ROWS_READ of each group, of the team and of the person, each once. */
  readonly rows: readonly CertificateRow[];
  /** Ids of the person's own among `rows`. */
  readonly mine: ReadonlySet<string>;
  /** How many certificates each group holds: the team's, and the person's own of other teams read. */
  readonly counts: Readonly<Record<DashboardGroup, number>>;
}

/**
 * The App Home: for each group (expired, expiring, under review, waiting for a request) the
 * first few of the team's and of the person's own, from the list indexes, and the team's count
 * of each. A few reads whatever the size of the team or the person's history.
 */
export async function dashboard(ctx: UseCaseContext, userId: string): Promise<Dashboard> {
  const { certificates } = ctx.store;
  const now = ctx.clock.now();
  const team = ctx.teams.teamOf(userId);
  const ranges = dashboardRanges(now, ctx.policy.timeZone);
  const flat = DASHBOARD_GROUPS.flatMap((group) =>
    ranges[group].map((range) => ({ group, range })),
  );
  const teamList: CertificateList = { by: 'team', id: team };
  const ownList: CertificateList = { by: 'owner', id: userId };
  const first = { offset: 0, limit: DASHBOARD_ROWS_READ };
  const pagesOf = (list: CertificateList) =>
    Promise.all(flat.map((f) => certificates.idsInRange(list, f.range, first)));
  const [teamCounts, teamPages, ownPages] = await Promise.all([
    certificates.countInRanges(
      teamList,
      flat.map((f) => f.range),
    ),
    pagesOf(teamList),
    pagesOf(ownList),
  ]);
  const ownIds = new Set(ownPages.flat());
  const read = await certificates.getMany([...new Set([...teamPages.flat(), ...ownIds])]);
  const counts = Object.fromEntries(DASHBOARD_GROUPS.map((g) => [g, 0])) as Record<
    DashboardGroup,
    number
  >;
  flat.forEach((f, i) => {
    counts[f.group] += teamCounts[i] ?? 0;
  });
  // The person's own of another team are not in the team's counts.
  for (const certificate of read) {
    if (certificate.team === team) continue;
    const place = listPlacement(certificate);
    const group = flat.find((f) => inRange(f.range, place))?.group;
    if (group) counts[group]++;
  }
  return {
    rows: read.map((certificate) => row(certificate, now, ctx.policy.timeZone)),
    mine: new Set(read.filter((c) => ownIds.has(c.id)).map((c) => c.id)),
    counts,
  };
}

function isWatched(cert: Certificate): boolean {
  return cert.state === 'issued' || cert.state === 'uploaded';
}

function row(certificate: Certificate, now: Date, timeZone: string): CertificateRow {
  return certificate.notAfter !== undefined && isWatched(certificate)
    ? { certificate, expiry: expiryView(certificate.notAfter, now, timeZone) }
    : { certificate };
}

function bySoonestExpiry(a: CertificateRow, b: CertificateRow): number {
  const ax = a.certificate.notAfter ?? Number.MAX_SAFE_INTEGER;
  const bx = b.certificate.notAfter ?? Number.MAX_SAFE_INTEGER;
  return ax - bx || a.certificate.name.localeCompare(b.certificate.name);
}

export interface ScheduledPoint {
  readonly kind: 'sla_reminder' | 'sla_breach' | 'expiry_window' | 'expiry_reminder' | 'expiry';
  readonly at: number;
  readonly estimated?: boolean;
  /** For `expiry_reminder`: days before expiry. */
  readonly threshold?: number;
}

export interface CertificateStatus {
  readonly certificate: Certificate;
  readonly expiry?: ExpiryView;
  readonly contact?: Contact;
  readonly renewal?: Certificate;
  readonly applications: readonly Application[];
  /** The next reminder or escalation CertOps has scheduled for it, if any. */
  readonly next?: ScheduledPoint;
  readonly history: readonly AuditEntry[];
}

/** `/cert status <id>`: everything about one certificate, for anyone on its team (or approvers). */
export async function certificateStatus(
  ctx: UseCaseContext,
  id: string,
  userId: string,
  historyLimit = 20,
): Promise<Result<CertificateStatus>> {
  const { store } = ctx;
  const certificate = await store.certificates.get(id);
  if (!certificate) return refuse('certificate.not_found', { id });
  if (
    certificate.team !== ctx.teams.teamOf(userId) &&
    !canSeeOtherTeamsCertificates(ctx.policy, userId)
  ) {
    return refuse('certificate.other_team', { id, team: certificate.team });
  }
  const now = ctx.clock.now();
  const [contact, renewal, applications, history] = await Promise.all([
    certificate.contactId ? store.contacts.get(certificate.contactId) : undefined,
    certificate.renewalId ? store.certificates.get(certificate.renewalId) : undefined,
    store.applications.idsOfCertificate(id).then((ids) => store.applications.getMany(ids)),
    store.audit.history('cert', id, historyLimit),
  ]);
  const { expiry } = row(certificate, now, ctx.policy.timeZone);
  const next = nextScheduled(
    certificate,
    applications,
    now,
    ctx.policy.timeZone,
    ctx.policy.reminderDays,
  );
  return ok({
    certificate,
    ...(expiry ? { expiry } : {}),
    ...(contact ? { contact } : {}),
    ...(renewal ? { renewal } : {}),
    applications,
    ...(next ? { next } : {}),
    history,
  });
}

/** From the SLA points of a submission under review, or the start of the expiry window. */
function nextScheduled(
  cert: Certificate,
  apps: readonly Application[],
  now: Date,
  timeZone: string,
  reminderDays: readonly number[],
): ScheduledPoint | undefined {
  const t = now.getTime();
  const submitted = apps.find((a) => a.status === 'submitted' && a.sla);
  if (submitted?.sla) {
    const { remindAt, breachAt, estimated } = submitted.sla;
    if (remindAt > t) return { kind: 'sla_reminder', at: remindAt, estimated };
    if (breachAt > t) return { kind: 'sla_breach', at: breachAt, estimated };
  }
  if (isWatched(cert) && cert.notAfter !== undefined) {
    const windowStart = renewalWindowStart(cert.notAfter, timeZone);
    if (windowStart > t) return { kind: 'expiry_window', at: windowStart };
    if (t >= cert.notAfter) return undefined;
    // In the window: a hosted certificate's renewal is activated by the daily check; the others
    // get the next reminder of the ladder, then expire.
    if (!(cert.hosted && cert.renewalId)) {
      const { daysLeft } = expiryView(cert.notAfter, now, timeZone);
      const upcoming = reminderDays.filter((d) => d < daysLeft);
      if (upcoming.length > 0) {
        const threshold = Math.max(...upcoming);
        return {
          kind: 'expiry_reminder',
          at: renewalWindowStart(cert.notAfter, timeZone, threshold),
          threshold,
        };
      }
    }
    return { kind: 'expiry', at: cert.notAfter };
  }
  return undefined;
}

export async function teamContacts(ctx: UseCaseContext, userId: string): Promise<Contact[]> {
  return ctx.store.contacts.listOfTeam(ctx.teams.teamOf(userId));
}

export async function teamHostingCredits(
  ctx: UseCaseContext,
  userId: string,
): Promise<HostingCredits> {
  return ctx.store.hostingCredits.get(ctx.teams.teamOf(userId));
}

/** Requests waiting for an approver's decision. */
export async function pendingApprovals(ctx: UseCaseContext): Promise<Application[]> {
  const apps = await ctx.store.applications.getMany(
    await ctx.store.applications.idsWithStatus('awaiting_approval'),
  );
  return apps.sort((a, b) => a.createdAt - b.createdAt);
}
