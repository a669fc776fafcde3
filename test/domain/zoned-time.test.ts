import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  instantOfLocal,
  localDate,
  localDateTime,
  midnightDaysFrom,
  naturalDaysBetween,
  zoneOffsetMs,
} from '../../src/domain/zoned-time.js';
import { dayjs } from '../support/dayjs-reference.js';

const ZONES = [
  'Asia/Shanghai',
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // a 30-minute DST shift
  'Pacific/Kiritimati', // UTC+14
  'Pacific/Pago_Pago', // UTC-11
] as const;

// Instants from 1970 to 2200, whole seconds.
const instant = fc.integer({ min: 0, max: 7_258_118_400 }).map((s) => s * 1000);

/** The dayjs computation the fast one replaced: the reference. */
const dayjsDate = (at: number, zone: string) => dayjs(at).tz(zone).format('YYYY-MM-DD');

describe('zoned time', () => {
  it('gives the calendar date dayjs gives, in every zone', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (at, zone) => {
        expect(localDate(at, zone)).toBe(dayjsDate(at, zone));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the local time and the zone offset dayjs gives, in every zone', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (at, zone) => {
        expect(localDateTime(at, zone)).toBe(dayjs(at).tz(zone).format('YYYY-MM-DD HH:mm'));
        expect(zoneOffsetMs(at, zone)).toBe(dayjs(at).tz(zone).utcOffset() * 60_000);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds a local time again: the instant it came from, or the earlier of a repeated hour', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (at, zone) => {
        const local = at + zoneOffsetMs(at, zone);
        const timeOfDay = ((local % 86_400_000) + 86_400_000) % 86_400_000;
        const found = instantOfLocal(localDate(at, zone), timeOfDay, zone);
        // A repeated wall time (DST fall-back) resolves to its first occurrence.
        expect(found).toBeLessThanOrEqual(at);
        expect(found + zoneOffsetMs(found, zone)).toBe(local);
      }),
      { numRuns: 2000 },
    );
  });

  it('finds midnight days away, on the date counted, in every zone', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: -400, max: 400 }),
        fc.constantFrom(...ZONES),
        (at, days, zone) => {
          const midnight = midnightDaysFrom(at, zone, days);
          expect(naturalDaysBetween(at, midnight, zone)).toBe(days);
          expect(localDateTime(midnight, zone).slice(11)).toMatch(/^0[0-1]:[0-5]\d$/);
          // The first instant of that date: a moment before is the day before.
          expect(naturalDaysBetween(at, midnight - 1, zone)).toBe(days - 1);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('counts natural days as calendar dates apart, across DST changes', () => {
    fc.assert(
      fc.property(instant, instant, fc.constantFrom(...ZONES), (a, b, zone) => {
        // Calendar dates apart: not elapsed hours / 24, which miscounts a day a zone skipped
        // (Kiritimati jumped over 1994-12-31) or repeated.
        const expected = dayjs.utc(dayjsDate(b, zone)).diff(dayjs.utc(dayjsDate(a, zone)), 'day');
        expect(naturalDaysBetween(a, b, zone)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('knows the examples', () => {
    // 23:59 and 00:01 in Shanghai on either side of midnight are one natural day apart.
    const before = Date.parse('2026-11-23T23:59:00+08:00');
    const after = Date.parse('2026-11-24T00:01:00+08:00');
    expect(localDate(before, 'Asia/Shanghai')).toBe('2026-11-23');
    expect(naturalDaysBetween(before, after, 'Asia/Shanghai')).toBe(1);
    expect(naturalDaysBetween(before, after, 'UTC')).toBe(0);
    // The 2026 US spring-forward day is 23 hours long and still one day.
    const march7 = Date.parse('2026-03-07T12:00:00-05:00');
    const march9 = Date.parse('2026-03-09T12:00:00-04:00');
    expect(naturalDaysBetween(march7, march9, 'America/New_York')).toBe(2);
    // Kiritimati skipped 1994-12-31: 30 Dec to 1 Jan is still two dates apart.
    const dec30 = Date.parse('1994-12-30T12:00:00-10:00');
    const jan1 = Date.parse('1995-01-01T12:00:00+14:00');
    expect(naturalDaysBetween(dec30, jan1, 'Pacific/Kiritimati')).toBe(2);
  });
});
