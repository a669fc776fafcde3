import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCalendarData } from '../../src/calendar/holiday-data.js';
import { BusinessCalendar, type CalendarData, isIsoDate } from '../../src/domain/calendar.js';

const cn = new BusinessCalendar(buildCalendarData({ region: 'CN', timeZone: 'Asia/Shanghai' }));

/** An instant written as Shanghai wall-clock time. */
function sh(local: string): Date {
  return new Date(`${local}+08:00`);
}

function plain(overrides: Partial<CalendarData> = {}): BusinessCalendar {
  return new BusinessCalendar({
    region: 'TEST',
    timeZone: 'America/New_York',
    weekendDays: [0, 6],
    holidays: new Set(),
    workdays: new Set(),
    coveredYears: 'all',
    ...overrides,
  });
}

describe('BusinessCalendar.isBusinessDay', () => {
  it('counts an official working weekend day (调休) as a business day', () => {
    expect(cn.isBusinessDay('2025-09-28')).toBe(true); // Sunday
  });

  it('does not count a holiday that falls on a weekday', () => {
    expect(cn.isBusinessDay('2025-10-08')).toBe(false); // Wednesday
  });

  it('uses the weekend rule for other days', () => {
    expect(cn.isBusinessDay('2025-09-26')).toBe(true); // Friday
    expect(cn.isBusinessDay('2025-09-27')).toBe(false); // Saturday
    expect(cn.isBusinessDay('2025-09-21')).toBe(false); // Sunday
  });

  it('honours a non Sat/Sun weekend', () => {
    const friSat = plain({ weekendDays: [5, 6] });
    expect(friSat.isBusinessDay('2025-09-26')).toBe(false); // Friday
    expect(friSat.isBusinessDay('2025-09-28')).toBe(true); // Sunday
  });

  it('lets a working day win when data lists a date in both sets', () => {
    const both = plain({ holidays: new Set(['2025-09-27']), workdays: new Set(['2025-09-27']) });
    expect(both.isBusinessDay('2025-09-27')).toBe(true);
  });

  it('rejects something that is not a real date', () => {
    expect(() => cn.isBusinessDay('2025-02-30')).toThrow(/not a YYYY-MM-DD date/);
    expect(() => cn.isBusinessDay('20250930')).toThrow(/not a YYYY-MM-DD date/);
  });
});

describe('BusinessCalendar.localDate', () => {
  it('is the date in the calendar time zone, not in UTC', () => {
    expect(cn.localDate(new Date('2025-09-26T17:00:00Z'))).toBe('2025-09-27');
    expect(cn.localDate(new Date('2025-09-26T15:59:59.999Z'))).toBe('2025-09-26');
  });
});

describe('BusinessCalendar.addBusinessDays (CN, Asia/Shanghai)', () => {
  it('Fri 2025-09-26 15:00 + 1 = the working Sunday 2025-09-28 15:00', () => {
    expect(cn.addBusinessDays(sh('2025-09-26T15:00:00'), 1)).toEqual({
      at: sh('2025-09-28T15:00:00'),
      estimated: false,
    });
  });

  it('Tue 2025-09-30 10:00 + 1 = Thu 2025-10-09 10:00 (National Day week off)', () => {
    expect(cn.addBusinessDays(sh('2025-09-30T10:00:00'), 1).at).toEqual(sh('2025-10-09T10:00:00'));
  });

  it('2026-02-13 + 3 = 2026-02-25 (working Saturday 02-14, Spring Festival off)', () => {
    expect(cn.addBusinessDays(sh('2026-02-13T09:15:00'), 3).at).toEqual(sh('2026-02-25T09:15:00'));
  });

  it('keeps the wall-clock time to the millisecond', () => {
    expect(cn.addBusinessDays(sh('2025-09-22T23:59:59.123'), 2).at).toEqual(
      sh('2025-09-24T23:59:59.123'),
    );
  });

  it('n = 0 on a business day returns the same instant', () => {
    const from = sh('2025-09-26T15:00:00.456');
    expect(cn.addBusinessDays(from, 0)).toEqual({ at: from, estimated: false });
  });

  it('rolls a submission on a holiday Saturday to 00:00 of the next business day', () => {
    // Sat 2025-10-04 is inside the National Day holiday; Thu 10-09 is the next business day.
    expect(cn.addBusinessDays(sh('2025-10-04T14:30:00'), 0).at).toEqual(sh('2025-10-09T00:00:00'));
    expect(cn.addBusinessDays(sh('2025-10-04T14:30:00'), 1).at).toEqual(sh('2025-10-10T00:00:00'));
  });

  it('rolls a plain weekend day to Monday 00:00, then adds', () => {
    expect(cn.addBusinessDays(sh('2025-09-20T18:00:00'), 0).at).toEqual(sh('2025-09-22T00:00:00'));
    expect(cn.addBusinessDays(sh('2025-09-20T18:00:00'), 2).at).toEqual(sh('2025-09-24T00:00:00'));
  });

  it('decides "non-business" by the local date: Fri 17:00 UTC is Sat 01:00 in Shanghai', () => {
    // UTC says Friday; Shanghai says Saturday 09-27 (off) → next business day is Sunday 09-28.
    expect(cn.addBusinessDays(new Date('2025-09-26T17:00:00Z'), 0).at).toEqual(
      sh('2025-09-28T00:00:00'),
    );
  });

  it('nextBusinessDayStart is 00:00 of the next business day after the local date', () => {
    expect(cn.nextBusinessDayStart(sh('2025-09-30T10:00:00'))).toEqual(sh('2025-10-09T00:00:00'));
  });

  it('refuses a negative or fractional n', () => {
    const from = sh('2025-09-26T15:00:00');
    expect(() => cn.addBusinessDays(from, -1)).toThrow(/integer >= 0/);
    expect(() => cn.addBusinessDays(from, 1.5)).toThrow(/integer >= 0/);
    expect(() => cn.addBusinessDays(from, Number.NaN)).toThrow(/integer >= 0/);
  });
});

describe('estimated', () => {
  it('is true when the sum reaches a year without data (chinese-days 1.5.7 stops at 2026)', () => {
    const sum = cn.addBusinessDays(sh('2026-12-31T10:00:00'), 1);
    // Without data 2027-01-01 (a Friday) reads as a working day, hence "estimated".
    expect(sum).toEqual({ at: sh('2027-01-01T10:00:00'), estimated: true });
  });

  it('is false when every date examined is covered', () => {
    expect(cn.addBusinessDays(sh('2026-12-31T10:00:00'), 0).estimated).toBe(false);
    expect(cn.addBusinessDays(sh('2026-12-30T10:00:00'), 1).estimated).toBe(false);
  });

  it('is true when the start itself is in an uncovered year', () => {
    expect(cn.addBusinessDays(sh('2027-03-03T10:00:00'), 0).estimated).toBe(true);
  });

  it('is true when a roll alone crosses into an uncovered year', () => {
    // Wed 2025-12-31 is a holiday here and 2026 is not covered: the roll lands on Thu 2026-01-01.
    const cal = plain({
      timeZone: 'UTC',
      holidays: new Set(['2025-12-31']),
      coveredYears: new Set([2025]),
    });
    expect(cal.addBusinessDays(new Date('2025-12-31T09:00:00Z'), 0)).toEqual({
      at: new Date('2026-01-01T00:00:00Z'),
      estimated: true,
    });
  });

  it('isCovered reads coveredYears', () => {
    const cal = plain({ coveredYears: new Set([2025]) });
    expect(cal.isCovered(2025)).toBe(true);
    expect(cal.isCovered(2026)).toBe(false);
    expect(plain().isCovered(1900)).toBe(true);
  });

  it("is never set with coveredYears 'all'", () => {
    expect(plain().addBusinessDays(new Date('2099-06-01T12:00:00Z'), 20).estimated).toBe(false);
  });
});

describe('daylight saving time (America/New_York)', () => {
  it('keeps 09:30 local across the March change (EST → EDT)', () => {
    // Fri 2025-03-07 09:30 EST = 14:30Z; Mon 03-10 09:30 EDT = 13:30Z.
    expect(plain().addBusinessDays(new Date('2025-03-07T14:30:00Z'), 1).at).toEqual(
      new Date('2025-03-10T13:30:00Z'),
    );
  });

  it('keeps 09:30 local across the November change (EDT → EST)', () => {
    expect(plain().addBusinessDays(new Date('2025-10-31T13:30:00Z'), 1).at).toEqual(
      new Date('2025-11-03T14:30:00Z'),
    );
  });

  it('rolls to local midnight, not UTC midnight', () => {
    // Sat 2025-03-08 12:00 EST → Mon 03-10 00:00 EDT = 04:00Z.
    expect(plain().addBusinessDays(new Date('2025-03-08T17:00:00Z'), 0).at).toEqual(
      new Date('2025-03-10T04:00:00Z'),
    );
  });

  it('moves a skipped wall time forward by the gap (02:30 on 2025-03-09 → 03:30 EDT)', () => {
    const everyDay = plain({ weekendDays: [] });
    // Fri 2025-03-07 02:30 EST = 07:30Z; Sun 03-09 02:30 does not exist.
    expect(everyDay.addBusinessDays(new Date('2025-03-07T07:30:00Z'), 2).at).toEqual(
      new Date('2025-03-09T07:30:00Z'),
    );
  });

  it('takes the earlier of a repeated wall time (01:30 on 2025-11-02 → 01:30 EDT)', () => {
    const everyDay = plain({ weekendDays: [] });
    // Fri 2025-10-31 01:30 EDT = 05:30Z; on Sun 11-02 01:30 happens twice: EDT (05:30Z) first.
    expect(everyDay.addBusinessDays(new Date('2025-10-31T05:30:00Z'), 2).at).toEqual(
      new Date('2025-11-02T05:30:00Z'),
    );
  });
});

describe('guards', () => {
  it('throws instead of looping when no day is ever a business day', () => {
    const never = plain({ weekendDays: [0, 1, 2, 3, 4, 5, 6] });
    expect(() => never.addBusinessDays(new Date('2025-01-01T00:00:00Z'), 1)).toThrow(
      /no business day in the 3660 days after 2024-12-31/,
    );
  });

  it('still crosses a long (but finite) run of days off', () => {
    const holidays = new Set<string>();
    const start = Date.parse('2030-01-01T00:00:00Z');
    for (let i = 0; i < 3000; i++) {
      holidays.add(new Date(start + i * 86_400_000).toISOString().slice(0, 10));
    }
    const cal = plain({ timeZone: 'UTC', weekendDays: [], holidays });
    expect(cal.addBusinessDays(new Date('2030-01-01T08:00:00Z'), 0).at).toEqual(
      new Date(start + 3000 * 86_400_000),
    );
  });

  it('rejects an invalid time zone or weekend day', () => {
    expect(() => plain({ timeZone: 'Mars/Olympus' })).toThrow(/not a valid IANA time zone/);
    expect(() => plain({ weekendDays: [7] })).toThrow(/weekend day 7/);
  });
});

describe('properties (CN, 2024–2026)', () => {
  const DAY = 86_400_000;
  const instant = fc
    .integer({
      min: Date.parse('2024-01-01T00:00:00+08:00'),
      max: Date.parse('2027-01-01T00:00:00+08:00') - 1,
    })
    .map((t) => new Date(t));
  const count = fc.integer({ min: 0, max: 30 });

  /** Business dates d with a < d <= b (local dates). */
  function businessDatesAfterUpTo(a: string, b: string): number {
    let n = 0;
    for (let t = Date.parse(`${a}T00:00:00Z`) + DAY; t <= Date.parse(`${b}T00:00:00Z`); t += DAY) {
      if (cn.isBusinessDay(new Date(t).toISOString().slice(0, 10))) n++;
    }
    return n;
  }

  it('lands on a business day, never before `from`', () => {
    fc.assert(
      fc.property(instant, count, (from, n) => {
        const { at } = cn.addBusinessDays(from, n);
        expect(cn.isBusinessDay(cn.localDate(at))).toBe(true);
        expect(at.getTime()).toBeGreaterThanOrEqual(from.getTime());
      }),
    );
  });

  it('is strictly increasing in n', () => {
    fc.assert(
      fc.property(instant, count, (from, n) => {
        const a = cn.addBusinessDays(from, n).at.getTime();
        const b = cn.addBusinessDays(from, n + 1).at.getTime();
        expect(b).toBeGreaterThan(a);
      }),
    );
  });

  it('is monotonic in from', () => {
    fc.assert(
      fc.property(instant, instant, count, (x, y, n) => {
        const [early, late] = x <= y ? [x, y] : [y, x];
        const a = cn.addBusinessDays(early, n).at.getTime();
        const b = cn.addBusinessDays(late, n).at.getTime();
        expect(a).toBeLessThanOrEqual(b);
      }),
    );
  });

  it('skips exactly n business days and keeps the time of day (00:00 after a roll)', () => {
    fc.assert(
      fc.property(instant, count, (from, n) => {
        const { at, estimated } = cn.addBusinessDays(from, n);
        const fromDate = cn.localDate(from);
        const atDate = cn.localDate(at);
        const onBusinessDay = cn.isBusinessDay(fromDate);
        // The rolled-to start date itself counts when `from` was not on a business day.
        expect(businessDatesAfterUpTo(fromDate, atDate)).toBe(onBusinessDay ? n : n + 1);
        const timeOfDay = (t: number) => (t + 8 * 3_600_000) % DAY; // Shanghai has no DST
        expect(timeOfDay(at.getTime())).toBe(onBusinessDay ? timeOfDay(from.getTime()) : 0);
        expect(estimated).toBe(atDate >= '2027-01-01');
      }),
    );
  });
});

describe('isIsoDate', () => {
  it('accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-2-1')).toBe(false);
  });
});
