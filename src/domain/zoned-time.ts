import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';

// dayjs plugins are process-wide; extending twice is harmless.
dayjs.extend(utc);
dayjs.extend(timezone);

export { dayjs };

/** The calendar date ('YYYY-MM-DD') of an instant in a time zone. */
export function localDate(instant: Date | number, timeZone: string): string {
  return dayjs(instant).tz(timeZone).format('YYYY-MM-DD');
}

/** Natural (calendar) days from the local date of `from` to the local date of `to`. */
export function naturalDaysBetween(
  from: Date | number,
  to: Date | number,
  timeZone: string,
): number {
  const a = dayjs.tz(localDate(from, timeZone), timeZone);
  const b = dayjs.tz(localDate(to, timeZone), timeZone);
  // Round: a DST day is 23 or 25 hours long but still one day.
  return Math.round(b.diff(a, 'hour') / 24);
}
