import { type Certificate, isLive } from './certificate.js';
import { ok, type Result, refuse } from './result.js';
import type { Spec } from './spec.js';
import { midnightDaysFrom, naturalDaysBetween } from './zoned-time.js';

/** 到期前的30个自然日内: the expiry window, in natural (calendar) days. */
export const RENEWAL_WINDOW_DAYS = 30;

export type ExpiryStatus = 'valid' | 'expiring' | 'expired';

export interface ExpiryView {
  readonly status: ExpiryStatus;
  /** Natural days from today to the expiry date, in the configured zone; negative once past. */
  readonly daysLeft: number;
}

/**
 * Natural days count calendar dates in the configured zone: a certificate that expires on
 * 12-23 is "within 30 natural days" from 11-23 on, whatever the hour. Expired means past the
 * exact notAfter instant.
 */
export function expiryView(notAfter: number, now: Date, timeZone: string): ExpiryView {
  const daysLeft = naturalDaysBetween(now, notAfter, timeZone);
  if (now.getTime() >= notAfter) return { status: 'expired', daysLeft };
  return { status: daysLeft <= RENEWAL_WINDOW_DAYS ? 'expiring' : 'valid', daysLeft };
}

/**
 * 00:00 (configured zone) of the day `days` natural days before the expiry date: by default the
 * first day inside the 30-day window, when "expiring" begins.
 */
export function renewalWindowStart(
  notAfter: number,
  timeZone: string,
  days = RENEWAL_WINDOW_DAYS,
): number {
  return midnightDaysFrom(notAfter, timeZone, -days);
}

/** What "Renew" (续费) means for a certificate right now. */
export type RenewOption =
  /** More than 30 days left, not hosted: renew = enable hosting, buying a renewal of exactly this spec. */
  | { readonly kind: 'enable_hosting'; readonly spec: Spec; readonly daysLeft: number }
  /** Hosted, and its renewal will be activated automatically in the window. */
  | { readonly kind: 'already_hosted'; readonly daysLeft: number }
  /** Hosted and in the window: it renews itself. */
  | { readonly kind: 'renews_automatically'; readonly daysLeft: number }
  /** Not hosted and in the window: only the manual renewal purchase (续费购买) is left. */
  | { readonly kind: 'manual_renewal_purchase'; readonly spec: Spec; readonly daysLeft: number };

export type RenewRefusal =
  | 'renew.not_live'
  | 'renew.no_expiry'
  | 'renew.expired'
  | 'renew.in_progress';

/** A renewal instance that is still on its way (not cancelled, revoked or merged away). */
export function renewalInProgress(renewal: Pick<Certificate, 'state'> | undefined): boolean {
  return (
    renewal !== undefined &&
    renewal.state !== 'cancelled' &&
    renewal.state !== 'revoked' &&
    renewal.state !== 'merged'
  );
}

/**
 * What Renew offers now. `renewal` is the certificate's linked renewal instance, if it has one
 * (`renewalId`): an unhosted certificate whose bought renewal is still on its way gets no second
 * one (one renewal at a time).
 */
export function renewOption(
  cert: Pick<Certificate, 'id' | 'state' | 'hosted' | 'notAfter' | 'spec' | 'renewalId'>,
  now: Date,
  timeZone: string,
  renewal?: Pick<Certificate, 'id' | 'state'>,
): Result<RenewOption, RenewRefusal> {
  // Only issued and uploaded certificates show Renew (seed 000, step 4 说明).
  if (!isLive(cert)) return refuse('renew.not_live', { state: cert.state });
  if (cert.notAfter === undefined) return refuse('renew.no_expiry');
  const { status, daysLeft } = expiryView(cert.notAfter, now, timeZone);
  // An expired certificate cannot be renewed; a new one must be bought (CAS manual renewal rule).
  if (status === 'expired') return refuse('renew.expired', { daysAgo: -daysLeft });
  if (!cert.hosted && renewal?.id === cert.renewalId && renewalInProgress(renewal))
    return refuse('renew.in_progress', { id: cert.id, renewalId: renewal?.id ?? '' });
  if (status === 'valid') {
    return ok(
      cert.hosted
        ? { kind: 'already_hosted', daysLeft }
        : { kind: 'enable_hosting', spec: cert.spec, daysLeft },
    );
  }
  return ok(
    cert.hosted
      ? { kind: 'renews_automatically', daysLeft }
      : { kind: 'manual_renewal_purchase', spec: cert.spec, daysLeft },
  );
}

export type RenewChangedRefusal =
  | RenewRefusal
  | 'renew.window_began'
  | 'renew.hosted_meanwhile'
  | 'renew.changed';

/**
 * Whether a renew request made earlier still asks for what Renew offers now: a request is
 * evaluated again when an approver decides it, by the same rule that offered it. Enabling
 * hosting is for more than 30 days before expiry; a renewal purchase for an unhosted
 * certificate inside the window; neither for an expired one.
 */
export function renewRequestHolds(
  kind: 'enable_hosting' | 'renewal_purchase',
  cert: Pick<Certificate, 'id' | 'state' | 'hosted' | 'notAfter' | 'spec' | 'renewalId'>,
  now: Date,
  timeZone: string,
  renewal?: Pick<Certificate, 'id' | 'state'>,
): Result<RenewOption, RenewChangedRefusal> {
  const option = renewOption(cert, now, timeZone, renewal);
  if (!option.ok) return option;
  const wanted = kind === 'enable_hosting' ? 'enable_hosting' : 'manual_renewal_purchase';
  const now_ = option.value;
  if (now_.kind === wanted) return option;
  const params = { id: cert.id, daysLeft: now_.daysLeft };
  // Inside 30 days now: hosting can no longer be enabled; a renewal purchase is what is left.
  if (kind === 'enable_hosting' && now_.kind === 'manual_renewal_purchase')
    return refuse('renew.window_began', params);
  if (now_.kind === 'already_hosted' || now_.kind === 'renews_automatically')
    return refuse('renew.hosted_meanwhile', params);
  return refuse('renew.changed', params);
}

/**
 * The renewal instance of a certificate: exactly the same spec (seed 000, step 6), the same
 * names and quota, linked back to the original. `not_activated` when it is a hosted renewal
 * waiting for the window; `pending_application` when bought by hand, to be applied for.
 */
export function renewalInstance(
  original: Certificate,
  options: {
    id: string;
    state: 'not_activated' | 'pending_application';
    domains: readonly string[];
    contactId?: string;
    at: number;
  },
): Certificate {
  return {
    id: options.id,
    name: `${original.name} (renewal)`,
    spec: original.spec,
    validityYears: original.validityYears,
    domainQuota: original.domainQuota,
    state: options.state,
    source: 'renewal',
    domains: options.domains,
    team: original.team,
    ...(original.ownerUserId ? { ownerUserId: original.ownerUserId } : {}),
    ...(options.contactId ? { contactId: options.contactId } : {}),
    hosted: false,
    renewalOf: original.id,
    version: 1,
    createdAt: options.at,
    updatedAt: options.at,
  };
}

/**
 * The first notAfter instant that is still "valid" (outside the window) at `now`: 00:00 in the
 * zone of the 31st natural day from today. Every earlier notAfter is expiring or expired.
 */
export function validFrom(now: Date, timeZone: string, days = RENEWAL_WINDOW_DAYS): number {
  return midnightDaysFrom(now, timeZone, days + 1);
}
