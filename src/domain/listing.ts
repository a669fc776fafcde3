import { type Certificate, isLive } from './certificate.js';
import { validFrom } from './renewal.js';
import type { CertificateState } from './states.js';

/**
 * How certificate lists are ordered (`/cert list`), as the store keeps them: live certificates
 * (issued, uploaded) by notAfter, the others by a rank of their state. A list is read in groups,
 * most urgent first, each a score range of one of the two, so a page is read without loading
 * the rest.
 */
export const LIST_GROUPS = ['expired', 'expiring', 'in_progress', 'valid', 'closed'] as const;
export type ListGroup = (typeof LIST_GROUPS)[number];

/** Among certificates not issued yet, the ones someone has to act on first. */
export const IN_PROGRESS_ORDER: readonly CertificateState[] = [
  'validation_failed',
  'under_review',
  'pending_application',
  'not_activated',
];
/** A live certificate without a notAfter (none is made so; old data might hold one). */
const UNDATED_LIVE_RANK = 5;
const CLOSED_RANK = 10;

export type ListPlacement =
  | { readonly of: 'live'; readonly score: number }
  | { readonly of: 'other'; readonly score: number };

/** Where a certificate sits in the lists it belongs to. */
export function listPlacement(cert: Pick<Certificate, 'state' | 'notAfter'>): ListPlacement {
  if (isLive(cert))
    return cert.notAfter === undefined
      ? { of: 'other', score: UNDATED_LIVE_RANK }
      : { of: 'live', score: cert.notAfter };
  const rank = IN_PROGRESS_ORDER.indexOf(cert.state);
  return { of: 'other', score: rank >= 0 ? rank : CLOSED_RANK };
}

/** A stretch of a list: scores in [from, to) of the live or the other certificates. */
export interface ListRange {
  readonly of: 'live' | 'other';
  readonly from: number;
  readonly to: number;
}

/** Every certificate of a list but the closed ones (merged, replaced, revoked, cancelled). */
export const NOT_CLOSED: readonly ListRange[] = [
  { of: 'live', from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY },
  { of: 'other', from: 0, to: CLOSED_RANK },
];

/**
 * The ranges of each group at `now`, in list order. Expired: notAfter at or before now;
 * expiring: inside the 30-natural-day window; valid: later (and undated live ones).
 */
export function listRanges(now: Date, timeZone: string): Record<ListGroup, readonly ListRange[]> {
  const at = now.getTime();
  const valid = validFrom(now, timeZone);
  return {
    expired: [{ of: 'live', from: Number.NEGATIVE_INFINITY, to: at + 1 }],
    expiring: [{ of: 'live', from: at + 1, to: Math.max(valid, at + 1) }],
    in_progress: [{ of: 'other', from: 0, to: IN_PROGRESS_ORDER.length }],
    valid: [
      { of: 'live', from: Math.max(valid, at + 1), to: Number.POSITIVE_INFINITY },
      { of: 'other', from: UNDATED_LIVE_RANK, to: UNDATED_LIVE_RANK + 1 },
    ],
    closed: [{ of: 'other', from: CLOSED_RANK, to: Number.POSITIVE_INFINITY }],
  };
}

/** Whether a certificate so placed lies in a range. */
export function inRange(range: ListRange, placement: ListPlacement): boolean {
  return range.of === placement.of && placement.score >= range.from && placement.score < range.to;
}

/** The group a placement falls in, among ranges computed once (listRanges) for many. */
export function groupAmong(
  ranges: Record<ListGroup, readonly ListRange[]>,
  placement: ListPlacement,
): ListGroup {
  return LIST_GROUPS.find((group) => ranges[group].some((r) => inRange(r, placement))) ?? 'closed';
}

/** The group of one certificate at `now` (the same answer as the ranges give). */
export function listGroupOf(
  cert: Pick<Certificate, 'state' | 'notAfter'>,
  now: Date,
  timeZone: string,
): ListGroup {
  return groupAmong(listRanges(now, timeZone), listPlacement(cert));
}

/**
 * The App Home's groups (what needs someone's attention), as ranges of the same indexes:
 * expired, expiring, under review, and waiting for a request (pending or validation failed).
 */
export const DASHBOARD_GROUPS = ['expired', 'expiring', 'under_review', 'pending'] as const;
export type DashboardGroup = (typeof DASHBOARD_GROUPS)[number];

export function dashboardRanges(
  now: Date,
  timeZone: string,
): Record<DashboardGroup, readonly ListRange[]> {
  const ranges = listRanges(now, timeZone);
  const state = (s: CertificateState): ListRange => {
    const rank = IN_PROGRESS_ORDER.indexOf(s);
    return { of: 'other', from: rank, to: rank + 1 };
  };
  return {
    expired: ranges.expired,
    expiring: ranges.expiring,
    under_review: [state('under_review')],
    pending: [state('validation_failed'), state('pending_application')],
  };
}
