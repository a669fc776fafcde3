import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import type { Contact } from '../domain/contact.js';
import type { HostingCredits } from '../domain/hosting.js';
import {
  type ExpiryView,
  expiryView,
  RENEWAL_WINDOW_DAYS,
  renewalWindowStart,
} from '../domain/renewal.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { canRecordPurchases, type UseCaseContext } from './context.js';
import type { AuditEntry } from './ports.js';

export const LIST_SCOPES = ['mine', 'team', 'expiring', 'all'] as const;
export type ListScope = (typeof LIST_SCOPES)[number];

export interface CertificateRow {
  readonly certificate: Certificate;
  readonly expiry?: ExpiryView;
}

const DAY_MS = 86_400_000;
/** The most rows one query returns; Slack pages through them. */
export const MAX_LIST_ROWS = 500;

/**
 * `/cert list`: mine (owned or requested by me), my team's, expiring (my team's live ones
 * within the window or expired), all (approvers and admins only). Soonest expiry first.
 */
export async function listCertificates(
  ctx: UseCaseContext,
  userId: string,
  scope: ListScope,
): Promise<Result<CertificateRow[]>> {
  const { store } = ctx;
  const team = ctx.teams.teamOf(userId);
  let ids: string[];
  switch (scope) {
    case 'mine': {
      const requested = await store.applications.getMany(
        await store.applications.idsOfRequester(userId),
      );
      ids = [
        ...new Set([
          ...(await store.certificates.idsOwnedBy(userId)),
          ...requested.map((a) => a.certificateId),
        ]),
      ];
      break;
    }
    case 'team':
    case 'expiring':
      ids = await store.certificates.idsOfTeam(team);
      break;
    case 'all':
      if (!canRecordPurchases(ctx.policy, userId)) return refuse('list.all_not_allowed');
      ids = await store.certificates.ids({ offset: 0, limit: MAX_LIST_ROWS });
      break;
  }
  const now = ctx.clock.now();
  let rows = (await store.certificates.getMany(ids.slice(0, MAX_LIST_ROWS * 2))).map(
    (certificate) => row(certificate, now, ctx.policy.timeZone),
  );
  if (scope === 'expiring') {
    const horizon = now.getTime() + (RENEWAL_WINDOW_DAYS + 1) * DAY_MS;
    rows = rows.filter(
      (r) =>
        r.expiry &&
        r.expiry.status !== 'valid' &&
        (r.certificate.notAfter ?? Infinity) <= horizon &&
        isWatched(r.certificate),
    );
  }
  return ok(rows.sort(bySoonestExpiry).slice(0, MAX_LIST_ROWS));
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
  if (certificate.team !== ctx.teams.teamOf(userId) && !canRecordPurchases(ctx.policy, userId)) {
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
