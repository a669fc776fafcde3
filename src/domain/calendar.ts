import { instantOfLocal, isTimeZone, zoneOffsetMs } from './zoned-time.js';

/**
 * One region's business calendar as plain data. Built by the adapter in src/calendar (which may
 * read packages and files); this module only computes with it.
 */
export interface CalendarData {
  /** e.g. 'CN', 'US', 'DE' */
  readonly region: string;
  /** IANA zone, e.g. 'Asia/Shanghai' */
  readonly timeZone: string;
  /** 0 = Sunday ... 6 = Saturday */
  readonly weekendDays: readonly number[];
  /** 'YYYY-MM-DD' days off that would otherwise be working days */
  readonly holidays: ReadonlySet<string>;
  /** weekend days that are official working days (China's 调休) */
  readonly workdays: ReadonlySet<string>;
  /** years whose holiday data is complete */
  readonly coveredYears: ReadonlySet<number> | 'all';
}

export interface BusinessDaySum {
  readonly at: Date;
  /** true when a date examined lies in a year without holiday data (Mon–Fri rules were used) */
  readonly estimated: boolean;
}

const DAY_MS = 86_400_000;
/** A run of this many days without a business day means the data is broken: stop, don't spin. */
export const MAX_NON_BUSINESS_RUN = 3660;

export class BusinessCalendar {
  readonly region: string;
  readonly timeZone: string;
  private readonly weekend: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly workdays: ReadonlySet<string>;
  private readonly coveredYears: ReadonlySet<number> | 'all';

  constructor(data: CalendarData) {
    for (const day of data.weekendDays) {
      if (!Number.isInteger(day) || day < 0 || day > 6) {
        throw new Error(`Business calendar ${data.region}: weekend day ${day} is not 0..6`);
      }
    }
    if (!isTimeZone(data.timeZone)) {
      throw new Error(
        `Business calendar ${data.region}: ${data.timeZone} is not a valid IANA time zone`,
      );
    }
    this.region = data.region;
    this.timeZone = data.timeZone;
    this.weekend = new Set(data.weekendDays);
    this.holidays = data.holidays;
    this.workdays = data.workdays;
    this.coveredYears = data.coveredYears;
  }

  /** 'YYYY-MM-DD' of the instant in the calendar's time zone. */
  localDate(instant: Date): string {
    return this.wall(instant.getTime()).date;
  }

  /** An official working day wins over the weekend; a holiday wins over a weekday. */
  isBusinessDay(localDate: string): boolean {
    if (!isIsoDate(localDate))
      throw new Error(`isBusinessDay: ${localDate} is not a YYYY-MM-DD date`);
    return this.isBusinessDate(localDate);
  }

  private isBusinessDate(localDate: string): boolean {
    if (this.workdays.has(localDate)) return true;
    if (this.holidays.has(localDate)) return false;
    return !this.weekend.has(dayOfWeek(localDate));
  }

  isCovered(year: number): boolean {
    return this.coveredYears === 'all' || this.coveredYears.has(year);
  }

  /**
   * `from` plus n business days, keeping the local wall-clock time. A `from` on a non-business
   * day first rolls to 00:00 of the next business day (so n = 0 gives that start).
   */
  addBusinessDays(from: Date, n: number): BusinessDaySum {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new Error(`addBusinessDays: n must be an integer >= 0, got ${n}`);
    }
    const start = this.wall(from.getTime());
    let estimated = !this.isCovered(yearOf(start.date));
    let date = start.date;
    let timeOfDay = start.timeOfDay;
    let rolled = false;
    if (!this.isBusinessDate(date)) {
      date = this.nextBusinessDate(date);
      timeOfDay = 0;
      rolled = true;
      estimated ||= this.spanUncovered(start.date, date);
    }
    if (n === 0 && !rolled) return { at: new Date(from.getTime()), estimated };
    let remaining = n;
    while (remaining > 0) {
      const next = this.nextBusinessDate(date);
      estimated ||= this.spanUncovered(date, next);
      date = next;
      remaining--;
    }
    return { at: new Date(this.instantOf(date, timeOfDay)), estimated };
  }

  /** 00:00 local of the first business day strictly after the local date of `from`. */
  nextBusinessDayStart(from: Date): Date {
    const date = this.nextBusinessDate(this.localDate(from));
    return new Date(this.instantOf(date, 0));
  }

  private nextBusinessDate(date: string): string {
    let current = date;
    for (let step = 0; step < MAX_NON_BUSINESS_RUN; step++) {
      current = addDays(current, 1);
      if (this.isBusinessDate(current)) return current;
    }
    throw new Error(
      `Business calendar ${this.region}: no business day in the ${MAX_NON_BUSINESS_RUN} days after ${date}; the holiday data is wrong`,
    );
  }

  /** Whether any year from `a` to `b` (dates, a <= b) lacks holiday data. */
  private spanUncovered(a: string, b: string): boolean {
    for (let year = yearOf(a); year <= yearOf(b); year++) {
      if (!this.isCovered(year)) return true;
    }
    return false;
  }

  private wall(instant: number): { date: string; timeOfDay: number } {
    const local = instant + zoneOffsetMs(instant, this.timeZone);
    const timeOfDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
    return { date: new Date(local - timeOfDay).toISOString().slice(0, 10), timeOfDay };
  }

  private instantOf(date: string, timeOfDay: number): number {
    return instantOfLocal(date, timeOfDay, this.timeZone);
  }
}

/** A real calendar date written 'YYYY-MM-DD' (rejects '2025-02-30'). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function dayOfWeek(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}
