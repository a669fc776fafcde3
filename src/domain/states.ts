import { ok, type Result, refuse } from './result.js';

/**
 * Stored certificate states (docs/domain.md). `hosted`, `expiring` and `expired`
 * are derived for display, never stored: see `displayStatus` in certificate.ts.
 */
export const CERTIFICATE_STATES = [
  'pending_application', // 待申请: bought, not yet submitted to a CA
  'under_review', // 审核中
  'issued', // 已签发
  'validation_failed', // 审核失败: may be resubmitted
  'uploaded', // 上传证书: an existing certificate tracked by the bot
  'not_activated', // 未激活: the linked renewal of a hosted certificate
  'merged', // consumed by a combination
  'replaced', // an issued/uploaded certificate whose renewal was issued (our choice, see docs/domain.md)
  'revoked',
  'cancelled',
] as const;
export type CertificateState = (typeof CERTIFICATE_STATES)[number];

export const CERTIFICATE_EVENTS = [
  'submit', // application handed to the CA
  'withdraw', // application withdrawn before the CA decided
  'issue',
  'fail_validation',
  'merge',
  'activate', // a hosted certificate's renewal is activated and submitted in the expiry window
  'replace', // the renewal was issued and takes the original's place
  'revoke',
  'cancel',
] as const;
export type CertificateEvent = (typeof CERTIFICATE_EVENTS)[number];

/** The whole state machine: event -> states it may start from -> state it leads to. */
const TRANSITIONS: Readonly<
  Record<CertificateEvent, Partial<Record<CertificateState, CertificateState>>>
> = {
  submit: { pending_application: 'under_review', validation_failed: 'under_review' },
  withdraw: { under_review: 'pending_application' },
  issue: { under_review: 'issued' },
  fail_validation: { under_review: 'validation_failed' },
  merge: { pending_application: 'merged', validation_failed: 'merged' },
  activate: { not_activated: 'under_review' },
  replace: { issued: 'replaced', uploaded: 'replaced' },
  revoke: { issued: 'revoked' },
  cancel: {
    pending_application: 'cancelled',
    validation_failed: 'cancelled',
    not_activated: 'cancelled',
  },
};

export const TERMINAL_STATES: ReadonlySet<CertificateState> = new Set([
  'merged',
  'replaced',
  'revoked',
  'cancelled',
]);

/** What a transition may need to know beyond the state itself. */
export interface TransitionContext {
  /** A hosted certificate with a not-activated renewal cannot be revoked until that renewal is cancelled. */
  readonly hasPendingRenewal?: boolean;
}

export type TransitionRefusal = 'transition.not_allowed' | 'transition.pending_renewal';

export function nextState(
  from: CertificateState,
  event: CertificateEvent,
  context: TransitionContext = {},
): Result<CertificateState, TransitionRefusal> {
  const to = TRANSITIONS[event][from];
  if (to === undefined) return refuse('transition.not_allowed', { from, event });
  if (event === 'revoke' && context.hasPendingRenewal) {
    return refuse('transition.pending_renewal', { from, event });
  }
  return ok(to);
}

export function allowedEvents(from: CertificateState): CertificateEvent[] {
  return CERTIFICATE_EVENTS.filter((event) => TRANSITIONS[event][from] !== undefined);
}

/** Only these can be applied for (提交证书申请). */
export function canApplyFor(state: CertificateState): boolean {
  return state === 'pending_application' || state === 'validation_failed';
}

/** An instance someone may apply for now: its state allows it and no request is open on it. */
export function isApplicableInstance(
  cert: Readonly<{ state: CertificateState; openApplicationId?: string }>,
): boolean {
  return canApplyFor(cert.state) && cert.openApplicationId === undefined;
}
