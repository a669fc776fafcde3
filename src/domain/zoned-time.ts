const DAY_MS = 24 * 60 * 60 * 1000;

const MINUTE_MS = 60 * 1000;

/**
 * One formatter per zone, kept: building an Intl.DateTimeFormat is what makes dayjs's `tz()`
 * slow (~0.1 ms a call: most of a 3,000-certificate expiry check, a quarter of a list page).
 * The wall clock (year to second, 24-hour) is read from its parts.
 */
const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    wallFormats.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    wallFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

function wallClock(instant: Date | number, timeZone: string): Wall {
  const values: Record<string, string> = {};
  for (const part of wallFormat(timeZone).formatToParts(instant)) values[part.type] = part.value;
  return {
    year: Number(values.year),
    month: Number(values.month),
    day: Number(values.day),
    hour: Number(values.hour),
    minute: Number(values.minute),
    second: Number(values.second),
  };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The calendar date ('YYYY-MM-DD') of an instant in a time zone. */
export function localDate(instant: Date | number, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  // The year always has four digits: a year past 9999 or before 1 must not change the shape.
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** The local date and time ('YYYY-MM-DD HH:mm') of an instant in a time zone. */
export function localDateTime(instant: Date | number, timeZone: string): string {
  const w = wallClock(instant, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** The zone's offset from UTC at an instant (ms; east positive), to the second. */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear puts them back.
  const fixed = w.year >= 0 && w.year < 100 ? new Date(asUtc).setUTCFullYear(w.year) : asUtc;
  return Math.round((fixed - Math.floor(instant / 1000) * 1000) / MINUTE_MS) * MINUTE_MS;
}

/**
 * The instant of a local date ('YYYY-MM-DD') and time of day (ms) in a zone. Resolved like
 * Temporal's 'compatible': a repeated time (DST fall-back) takes the earlier instant, a skipped
 * time (spring-forward) moves forward by the gap. Not dayjs.tz(string): its choice for repeated
 * times depends on today's offset.
 */
export function instantOfLocal(date: string, timeOfDay: number, timeZone: string): number {
  const local = Date.parse(`${date}T00:00:00Z`) + timeOfDay;
  const before = zoneOffsetMs(local - DAY_MS, timeZone);
  const after = zoneOffsetMs(local + DAY_MS, timeZone);
  const candidates = [local - before, local - after].filter(
    (t) => t + zoneOffsetMs(t, timeZone) === local,
  );
  return candidates.length > 0 ? Math.min(...candidates) : local - before;
}

/**
 * 00:00 (in the zone) of the calendar date `days` after (or, negative, before) the local date of
 * `instant`. Days are added to the date, then that date's midnight is found in the zone: adding
 * them to an instant would keep its UTC offset across a DST change (an hour off).
 */
export function midnightDaysFrom(instant: Date | number, timeZone: string, days: number): number {
  const day = Date.parse(`${localDate(instant, timeZone)}T00:00:00Z`);
  const date = new Date(day + days * DAY_MS).toISOString().slice(0, 10);
  return instantOfLocal(date, 0, timeZone);
}

/**
 * Natural (calendar) days from the local date of `from` to the local date of `to`: a
 * difference of calendar dates, so DST days (23 or 25 hours) still count as one.
 */
export function naturalDaysBetween(
  from: Date | number,
  to: Date | number,
  timeZone: string,
): number {
  return (
    (Date.parse(`${localDate(to, timeZone)}T00:00:00Z`) -
      Date.parse(`${localDate(from, timeZone)}T00:00:00Z`)) /
    DAY_MS
  );
}
