import { describe, expect, it } from 'vitest';
import { buildCalendarData } from '../../src/calendar/holiday-data.js';
import { BusinessCalendar } from '../../src/domain/calendar.js';
import { REVIEW_SLA_BUSINESS_DAYS, reviewSla, slaStage } from '../../src/domain/sla.js';

const DAY = 86_400_000;
/** A calendar where every day is a business day; marks sums past `estimatedAfter` n as estimated. */
const plainDays = (estimatedAfter = Number.POSITIVE_INFINITY) => ({
  addBusinessDays: (from: Date, n: number) => ({
    at: new Date(from.getTime() + n * DAY),
    estimated: n > estimatedAfter,
  }),
});

describe('review SLA', () => {
  const submitted = new Date(Date.UTC(2026, 0, 5, 3));

  it('reminds after 1 business day, expects 3-7, breaches after 7', () => {
    expect(REVIEW_SLA_BUSINESS_DAYS).toEqual({
      remindAfter: 1,
      expectedFrom: 3,
      expectedBy: 7,
      breachAfter: 7,
    });
    expect(reviewSla('OV', submitted, plainDays())).toEqual({
      submittedAt: submitted.getTime(),
      remindAt: submitted.getTime() + DAY,
      expectedFrom: submitted.getTime() + 3 * DAY,
      expectedBy: submitted.getTime() + 7 * DAY,
      breachAt: submitted.getTime() + 7 * DAY,
      estimated: false,
    });
    expect(reviewSla('EV', submitted, plainDays())?.breachAt).toBe(submitted.getTime() + 7 * DAY);
  });

  it('has no review SLA for DV', () => {
    expect(reviewSla('DV', submitted, plainDays())).toBeUndefined();
  });

  it('is an estimate when any point is', () => {
    expect(reviewSla('OV', submitted, plainDays(5))?.estimated).toBe(true);
  });

  it('stages: within, reminder due, breached (at the point itself)', () => {
    const sla = reviewSla('OV', submitted, plainDays());
    if (!sla) throw new Error('no sla');
    expect(slaStage(sla, new Date(sla.remindAt - 1))).toBe('within');
    expect(slaStage(sla, new Date(sla.remindAt))).toBe('reminder_due');
    expect(slaStage(sla, new Date(sla.breachAt - 1))).toBe('reminder_due');
    expect(slaStage(sla, new Date(sla.breachAt))).toBe('breached');
  });
});

describe('review SLA on the CN business calendar', () => {
  it('reminds on a working Sunday and skips the National Day holiday', () => {
    const calendar = new BusinessCalendar(
      buildCalendarData({ region: 'CN', timeZone: 'Asia/Shanghai' }),
    );
    const friday = reviewSla('OV', new Date('2025-09-26T15:00:00+08:00'), calendar);
    expect(new Date(friday?.remindAt ?? 0).toISOString()).toBe(
      new Date('2025-09-28T15:00:00+08:00').toISOString(),
    );
    const tuesday = reviewSla('EV', new Date('2025-09-30T10:00:00+08:00'), calendar);
    expect(new Date(tuesday?.remindAt ?? 0).toISOString()).toBe(
      new Date('2025-10-09T10:00:00+08:00').toISOString(),
    );
    // 10-09, 10-10, 10-11 (a working Saturday): expected from the third business day on.
    expect(new Date(tuesday?.expectedFrom ?? 0).toISOString()).toBe(
      new Date('2025-10-11T10:00:00+08:00').toISOString(),
    );
    expect(tuesday?.estimated).toBe(false);
    // chinese-days 1.5.7 has no 2027 data: a late-December submission is an estimate.
    expect(reviewSla('OV', new Date('2026-12-28T10:00:00+08:00'), calendar)?.estimated).toBe(true);
  });
});
