import type { Certificate } from './certificate.js';
import { expiryView, RENEWAL_WINDOW_DAYS } from './renewal.js';

/** Days before expiry on which an unhosted certificate's owner is reminded (configurable). */
export const DEFAULT_REMINDER_DAYS: readonly number[] = [30, 14, 7, 3, 1];

/** What the daily expiry check owes one live certificate today. */
export type ExpiryDue =
  | { readonly kind: 'none' }
  /** Hosted, in the window: activate the linked renewal (托管: renewed automatically). */
  | { readonly kind: 'activate_renewal'; readonly renewalId: string; readonly daysLeft: number }
  /** Not hosted (or hosted without a renewal to activate): remind at this threshold. */
  | { readonly kind: 'reminder'; readonly threshold: number; readonly daysLeft: number }
  /** Past notAfter and not renewed: tell the owner and escalate to support. */
  | { readonly kind: 'expired'; readonly daysAgo: number };

/**
 * The reminder due now: the smallest threshold already reached that is below the last one
 * sent. One message per check, never one per threshold crossed: after a few days of downtime
 * (20 days left, then 5), only the 7-day reminder goes out, not 14 and 7 together.
 */
export function dueReminderThreshold(
  daysLeft: number,
  thresholds: readonly number[],
  lastSent: number | undefined,
): number | undefined {
  const reached = thresholds.filter(
    (t) => daysLeft <= t && (lastSent === undefined || t < lastSent),
  );
  return reached.length === 0 ? undefined : Math.min(...reached);
}

export function expiryDue(
  cert: Pick<Certificate, 'state' | 'hosted' | 'renewalId' | 'notAfter'>,
  now: Date,
  timeZone: string,
  thresholds: readonly number[],
  lastReminderSent: number | undefined,
): ExpiryDue {
  if ((cert.state !== 'issued' && cert.state !== 'uploaded') || cert.notAfter === undefined)
    return { kind: 'none' };
  const { status, daysLeft } = expiryView(cert.notAfter, now, timeZone);
  if (status === 'expired') return { kind: 'expired', daysAgo: -daysLeft };
  if (daysLeft > RENEWAL_WINDOW_DAYS && Math.max(0, ...thresholds) <= RENEWAL_WINDOW_DAYS)
    return { kind: 'none' };
  if (status === 'expiring' && cert.hosted && cert.renewalId) {
    return { kind: 'activate_renewal', renewalId: cert.renewalId, daysLeft };
  }
  const threshold = dueReminderThreshold(daysLeft, thresholds, lastReminderSent);
  return threshold === undefined ? { kind: 'none' } : { kind: 'reminder', threshold, daysLeft };
}
