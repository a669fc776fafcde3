import type { ValidationType } from './spec.js';

/**
 * OV/EV review (seed 004 "Review duration"): the CA issues within 3-7 business days; more than 1
 * business day without issue means: check for a missed CA call or verification email.
 */
export const REVIEW_SLA_BUSINESS_DAYS = {
  remindAfter: 1,
  expectedFrom: 3,
  expectedBy: 7,
  breachAfter: 7,
} as const;

/** The calendar's one operation the SLA needs (BusinessCalendar implements it). */
export interface BusinessDayAdder {
  addBusinessDays(from: Date, n: number): { readonly at: Date; readonly estimated: boolean };
}

/** SLA points of one submission, as absolute times (epoch ms), computed once at submission. */
export interface ReviewSla {
  readonly submittedAt: number;
  readonly remindAt: number;
  readonly expectedFrom: number;
  readonly expectedBy: number;
  readonly breachAt: number;
  /** Some date involved lies in a year without holiday data: the times assume Mon-Fri. */
  readonly estimated: boolean;
}

/** DV certificates are issued in minutes: they have no review SLA. */
export function reviewSla(
  validationType: ValidationType,
  submittedAt: Date,
  calendar: BusinessDayAdder,
): ReviewSla | undefined {
  if (validationType === 'DV') return undefined;
  const { remindAfter, expectedFrom, expectedBy, breachAfter } = REVIEW_SLA_BUSINESS_DAYS;
  const points = [remindAfter, expectedFrom, expectedBy, breachAfter].map((n) =>
    calendar.addBusinessDays(submittedAt, n),
  );
  const [remind, from, by, breach] = points as [Point, Point, Point, Point];
  return {
    submittedAt: submittedAt.getTime(),
    remindAt: remind.at.getTime(),
    expectedFrom: from.at.getTime(),
    expectedBy: by.at.getTime(),
    breachAt: breach.at.getTime(),
    estimated: points.some((p) => p.estimated),
  };
}

type Point = ReturnType<BusinessDayAdder['addBusinessDays']>;

export type SlaStage = 'within' | 'reminder_due' | 'breached';

/** Where a submission that is still under review stands at `now`. */
export function slaStage(sla: ReviewSla, now: Date): SlaStage {
  const t = now.getTime();
  if (t >= sla.breachAt) return 'breached';
  if (t >= sla.remindAt) return 'reminder_due';
  return 'within';
}
