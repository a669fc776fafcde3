import type { Spec } from './spec.js';
import type { CertificateState } from './states.js';

/** Where an instance came from (docs/domain.md). */
export const CERTIFICATE_SOURCES = [
  'purchased',
  'free',
  'uploaded',
  'combined',
  'renewal',
] as const;
export type CertificateSource = (typeof CERTIFICATE_SOURCES)[number];

/**
 * A certificate instance: a purchased (or free, uploaded, combined, renewal) slot that becomes a
 * certificate once a CA issues it. Times are epoch milliseconds.
 */
export interface Certificate {
  readonly id: string;
  /** Display name; a combination's starts with `cas-merge`. */
  readonly name: string;
  readonly spec: Spec;
  readonly validityYears: number;
  readonly domainQuota: number;
  readonly state: CertificateState;
  readonly source: CertificateSource;
  /** Names bound by the application, or read from an uploaded certificate. */
  readonly domains: readonly string[];
  readonly team: string;
  readonly ownerUserId?: string;
  readonly contactId?: string;
  /** Managed renewal (托管) is on. */
  readonly hosted: boolean;
  /** The team's hosting credit this instance holds or has spent (domain hosting.ts). */
  readonly hostingCredit?: InstanceCredit;
  /**
   * The linked renewal certificate: of a hosted certificate (未激活 until activated), or the
   * instance a renewal purchase bought. One renewal at a time (domain renewal.ts).
   */
  readonly renewalId?: string;
  /** On a renewal certificate: the certificate it will replace. */
  readonly renewalOf?: string;
  /**
   * Its managed renewal (托管) did not go through: shown until a later success (a retry the CA
   * took, a renewal purchase approved, a renewal issued) clears it.
   */
  readonly renewalFailure?: RenewalFailure;
  /** The request (application, renewal, combination) under way for this instance: one at a time. */
  readonly openApplicationId?: string;
  /** The CA's order id once submitted. */
  readonly caOrderId?: string;
  readonly mergedInto?: string;
  readonly combinedFrom?: readonly string[];
  readonly notBefore?: number;
  readonly notAfter?: number;
  readonly issuer?: string;
  readonly serialNumber?: string;
  readonly fingerprintSha256?: string;
  readonly keyType?: string;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/**
 * An instance's hosting credit: `held` from an approved hosting application until issuance
 * (kept across a failed validation, so applying again reuses it), `spent` once issued hosted.
 */
export type InstanceCredit = 'held' | 'spent';
export const INSTANCE_CREDITS = ['held', 'spent'] as const satisfies readonly InstanceCredit[];

/**
 * How a managed renewal failed:
 * - `refused`: the CA refused it for good; hosting fell back, so Renew offers the renewal purchase;
 * - `retrying`: a passing failure (throttling, an outage); the CA poll submits it again;
 * - `unanswered`: the CA never answered and may have taken the order, so it is not submitted
 *   again by itself (people check the CA's console).
 */
export const RENEWAL_FAILURE_KINDS = ['refused', 'retrying', 'unanswered'] as const;
export type RenewalFailureKind = (typeof RENEWAL_FAILURE_KINDS)[number];

export interface RenewalFailure {
  readonly kind: RenewalFailureKind;
  /** When it failed (epoch ms). */
  readonly at: number;
  /** The CA's own words; empty when the CA gave none. */
  readonly reason: string;
}

/** The certificate without its renewal failure: a later success closed it. */
export function withoutRenewalFailure(cert: Certificate): Certificate {
  const { renewalFailure: _closed, ...rest } = cert;
  return rest;
}

/** What Slack shows as the state: the stored one, or `hosted` for a hosted live certificate. */
export type DisplayState = CertificateState | 'hosted';

export function displayState(cert: Pick<Certificate, 'state' | 'hosted'>): DisplayState {
  return cert.hosted && (cert.state === 'issued' || cert.state === 'uploaded')
    ? 'hosted'
    : cert.state;
}

/** Live certificates: the ones whose expiry is watched and which may be renewed. */
export function isLive(cert: Pick<Certificate, 'state'>): boolean {
  return cert.state === 'issued' || cert.state === 'uploaded';
}
