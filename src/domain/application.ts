import { ok, type Refusal, type Result, refuse } from './result.js';
import type { ReviewSla } from './sla.js';

/**
 * What a request asks approvers for: an application to a CA, enabling hosting (renew more than
 * 30 days before expiry), a manual renewal purchase (in the window), or a combination.
 */
export const APPLICATION_KINDS = [
  'apply',
  'enable_hosting',
  'renewal_purchase',
  'combine',
] as const;
export type ApplicationKind = (typeof APPLICATION_KINDS)[number];

export const VALIDATION_METHODS = ['dns', 'file', 'email'] as const;
export type ValidationMethod = (typeof VALIDATION_METHODS)[number];

export const APPLICATION_STATUSES = [
  'awaiting_approval',
  'approved', // decided; handing it to the CA (or carrying it out) is the next step
  'rejected',
  'submitted', // with the CA, under review
  'issued',
  'validation_failed',
  'withdrawn',
  'completed', // non-CA requests (hosting, combine) once carried out
  'lapsed', // approved too late: what it asked for no longer applies (e.g. the 30-day window began)
] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

export const APPLICATION_EVENTS = [
  'approve',
  'reject',
  'submit',
  'issue',
  'fail_validation',
  'withdraw',
  'complete',
  'lapse',
] as const;
export type ApplicationEvent = (typeof APPLICATION_EVENTS)[number];

const TRANSITIONS: Readonly<
  Record<ApplicationEvent, Partial<Record<ApplicationStatus, ApplicationStatus>>>
> = {
  approve: { awaiting_approval: 'approved' },
  reject: { awaiting_approval: 'rejected' },
  submit: { approved: 'submitted' },
  issue: { submitted: 'issued' },
  fail_validation: { submitted: 'validation_failed' },
  withdraw: { awaiting_approval: 'withdrawn', approved: 'withdrawn', submitted: 'withdrawn' },
  complete: { approved: 'completed' },
  lapse: { awaiting_approval: 'lapsed' },
};

export interface Application {
  readonly id: string;
  readonly kind: ApplicationKind;
  readonly certificateId: string;
  readonly requesterId: string;
  readonly team: string;
  readonly status: ApplicationStatus;
  readonly domains: readonly string[];
  readonly validationMethod?: ValidationMethod;
  readonly contactId?: string;
  /** Managed renewal requested with the application (consumes one hosting credit). */
  readonly hosting: boolean;
  /** For combinations: the instances combined into `certificateId`. */
  readonly combineWith?: readonly string[];
  readonly decidedBy?: string;
  readonly decidedAt?: number;
  readonly decisionReason?: string;
  /** Why an approval came too late to carry the request out (status `lapsed`). */
  readonly lapse?: Refusal;
  readonly sla?: ReviewSla;
  /** How far the review clock has notified: the +1 reminder, then the +7 breach escalation. */
  readonly slaNotified?: 'remind' | 'breach';
  /** Since when the CA has not answered about this order (cleared when it answers again). */
  readonly caErrorSince?: number;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function nextApplicationStatus(
  from: ApplicationStatus,
  event: ApplicationEvent,
): Result<ApplicationStatus, 'application.transition_not_allowed'> {
  const to = TRANSITIONS[event][from];
  return to === undefined ? refuse('application.transition_not_allowed', { from, event }) : ok(to);
}

export type DecisionRefusal = 'approval.not_approver' | 'approval.own_request';

/** Only configured approvers decide, and never on their own request (four-eyes). */
export function checkDecider(
  application: Pick<Application, 'requesterId'>,
  deciderId: string,
  approvers: ReadonlySet<string>,
): Result<true, DecisionRefusal> {
  if (!approvers.has(deciderId)) return refuse('approval.not_approver', { user: deciderId });
  if (application.requesterId === deciderId)
    return refuse('approval.own_request', { user: deciderId });
  return ok(true);
}
