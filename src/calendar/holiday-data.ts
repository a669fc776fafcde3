/**
 * Builds a region's CalendarData from holiday packages plus an operator's overrides file.
 *
 * - CN comes from chinese-days (State Council holidays and the 调休 working weekend days). Its
 *   data is finite (2004..2026 in 1.5.7): the covered years are read from the package data.
 * - Other regions come from date-holidays (`XX` or `XX-STATE`, e.g. 'US', 'DE', 'US-CA').
 *
 * Overrides file (CERTOPS_CALENDAR_FILE), plain JSON (the // notes below are not allowed in it):
 *
 *   { "regions": { "CN": { "2027": {
 *       "holidays": ["2027-01-01"],   // days off (wins over the package)
 *       "workdays": ["2027-02-07"],   // working days, e.g. a working Sunday (wins over the package)
 *       "complete": true              // this is the full official schedule: the year is covered
 *   } } } }
 *
 * Without `complete: true` a year's entries are corrections only and its coverage is unchanged.
 * Dates must be real dates inside the keyed year; a date may not be in both lists; unknown keys
 * are errors (a typo must not silently drop a holiday).
 */
import { readFile } from 'node:fs/promises';
import cnDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import Holidays from 'date-holidays';
import { z } from 'zod';
import { type BusinessCalendar, type CalendarData, isIsoDate } from '../domain/calendar.js';
import { ok, type Result, refuse } from '../domain/result.js';

export interface CalendarYearOverride {
  readonly holidays: readonly string[];
  readonly workdays: readonly string[];
  readonly complete: boolean;
}

export interface CalendarOverrides {
  /** region → year ('2027') → entries */
  readonly regions: Readonly<Record<string, Readonly<Record<string, CalendarYearOverride>>>>;
}

export interface YearRange {
  readonly from: number;
  readonly to: number;
}

export interface BuildCalendarOptions {
  readonly region: string;
  readonly timeZone: string;
  readonly overrides?: CalendarOverrides;
  /** Years precomputed for date-holidays regions (ignored for CN); default defaultCalendarYears(now). */
  readonly years?: YearRange;
  /** Weekend for date-holidays regions; default Sat + Sun (the package exposes no weekend API). */
  readonly weekendDays?: readonly number[];
}

const SAT_SUN: readonly number[] = [0, 6];
const MAX_YEAR_SPAN = 50;
const DAY_MS = 86_400_000;

const yearOverrideSchema = z.strictObject({
  holidays: z.array(z.string().refine(isIsoDate, 'not a real YYYY-MM-DD date')).default([]),
  workdays: z.array(z.string().refine(isIsoDate, 'not a real YYYY-MM-DD date')).default([]),
  complete: z.boolean().default(false),
});

const regionOverridesSchema = z.record(z.string(), yearOverrideSchema).superRefine((years, ctx) => {
  for (const [year, entry] of Object.entries(years)) {
    if (!/^\d{4}$/.test(year)) {
      ctx.addIssue({ code: 'custom', message: 'year keys must be four digits', path: [year] });
      continue;
    }
    for (const list of ['holidays', 'workdays'] as const) {
      entry[list].forEach((date, i) => {
        if (isIsoDate(date) && !date.startsWith(`${year}-`)) {
          ctx.addIssue({
            code: 'custom',
            message: `${date} is not in ${year}`,
            path: [year, list, i],
          });
        }
      });
    }
    const holidays = new Set(entry.holidays);
    entry.workdays.forEach((date, i) => {
      if (holidays.has(date)) {
        ctx.addIssue({
          code: 'custom',
          message: `${date} is listed both as a holiday and as a workday`,
          path: [year, 'workdays', i],
        });
      }
    });
  }
});

const overridesSchema = z.strictObject({
  regions: z.record(z.string(), regionOverridesSchema).superRefine((regions, ctx) => {
    const seen = new Set<string>();
    for (const region of Object.keys(regions)) {
      const normal = region.trim().toUpperCase();
      if (!isSupportedRegion(region)) {
        ctx.addIssue({ code: 'custom', message: 'not a supported region', path: [region] });
      } else if (seen.has(normal)) {
        ctx.addIssue({ code: 'custom', message: `${normal} is listed twice`, path: [region] });
      }
      seen.add(normal);
    }
  }),
});

/** Validates a parsed overrides document; the refusal's `problems` names each bad JSON path. */
export function parseCalendarOverrides(
  json: unknown,
): Result<CalendarOverrides, 'calendar_overrides_invalid'> {
  const parsed = overridesSchema.safeParse(json);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((issue) => `${jsonPath(issue.path)}: ${issue.message}`);
  return refuse('calendar_overrides_invalid', { problems: problems.join('; ') });
}

export async function loadCalendarOverridesFile(path: string): Promise<CalendarOverrides> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `Calendar overrides file ${path} does not exist`
        : `Calendar overrides file ${path} cannot be read: ${(error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `Calendar overrides file ${path} is not valid JSON: ${(error as Error).message}`,
    );
  }
  const result = parseCalendarOverrides(json);
  if (!result.ok) {
    throw new Error(
      `Calendar overrides file ${path} is invalid: ${result.refusal.params?.problems}`,
    );
  }
  return result.value;
}

/** The current UTC year −1 .. +5: SLAs look days ahead, history a little back. */
export function defaultCalendarYears(now: Date): YearRange {
  const year = now.getUTCFullYear();
  return { from: year - 1, to: year + 5 };
}

let holidayQueries: Holidays | undefined;
function queries(): Holidays {
  holidayQueries ??= new Holidays();
  return holidayQueries;
}

/** 'CN', or a date-holidays country with an optional state: 'US', 'DE', 'US-CA'. */
export function isSupportedRegion(region: string): boolean {
  const [country, state, ...rest] = region.trim().toUpperCase().split('-');
  if (country === undefined || rest.length > 0) return false;
  if (country === 'CN') return state === undefined;
  if (!Object.hasOwn(queries().getCountries(), country)) return false;
  return state === undefined || Object.hasOwn(queries().getStates(country) ?? {}, state);
}

export function buildCalendarData(options: BuildCalendarOptions): CalendarData {
  const region = options.region.trim().toUpperCase();
  if (!isSupportedRegion(region)) {
    throw new Error(
      `CERTOPS_BUSINESS_REGION ${options.region} is not a supported region: use CN or a country code known to date-holidays, optionally with a state (e.g. US, DE, US-CA)`,
    );
  }
  const base =
    region === 'CN'
      ? chineseDaysData()
      : dateHolidaysData(region, options.years ?? defaultCalendarYears(new Date()));
  const holidays = new Set(base.holidays);
  const workdays = new Set(base.workdays);
  const covered = base.coveredYears === 'all' ? 'all' : new Set(base.coveredYears);
  const byYear = options.overrides ? regionOverrides(options.overrides, region) : {};
  for (const [year, entry] of Object.entries(byYear)) {
    // Corrections win over the package in both directions; the sets stay disjoint.
    for (const date of entry.holidays) {
      holidays.add(date);
      workdays.delete(date);
    }
    for (const date of entry.workdays) {
      workdays.add(date);
      holidays.delete(date);
    }
    if (entry.complete && covered !== 'all') covered.add(Number(year));
  }
  return {
    region,
    timeZone: options.timeZone,
    weekendDays: region === 'CN' ? SAT_SUN : (options.weekendDays ?? SAT_SUN),
    holidays,
    workdays,
    coveredYears: covered,
  };
}

/**
 * One warning per year without holiday data between now and now + horizonDays (local dates):
 * SLA times computed over those days are Mon–Fri estimates.
 */
export function calendarCoverageWarnings(
  calendar: BusinessCalendar,
  now: Date,
  horizonDays = 60,
): string[] {
  const first = Number(calendar.localDate(now).slice(0, 4));
  const lastDate = new Date(
    Date.parse(`${calendar.localDate(now)}T00:00:00Z`) + horizonDays * DAY_MS,
  );
  const warnings: string[] = [];
  for (let year = first; year <= lastDate.getUTCFullYear(); year++) {
    if (!calendar.isCovered(year)) {
      warnings.push(
        `Business calendar ${calendar.region} has no holiday data for ${year}: SLA times for dates in ${year} are estimates (Mon-Fri). Add the official schedule to CERTOPS_CALENDAR_FILE.`,
      );
    }
  }
  return warnings;
}

interface BaseData {
  readonly holidays: Iterable<string>;
  readonly workdays: Iterable<string>;
  readonly coveredYears: Iterable<number> | 'all';
}

/**
 * chinese-days' published JSON (documented in its README): `holidays` are days off (weekend
 * days included, harmless), `workdays` the 调休 working weekend days. The library's own
 * isWorkday reads exactly these two maps.
 */
function chineseDaysData(): BaseData {
  const holidays = Object.keys(cnDays.holidays);
  const workdays = Object.keys(cnDays.workdays);
  const years = [...holidays, ...workdays].map((date) => Number(date.slice(0, 4)));
  const from = Math.min(...years);
  const to = Math.max(...years);
  const coveredYears: number[] = [];
  for (let year = from; year <= to; year++) coveredYears.push(year);
  return { holidays, workdays, coveredYears };
}

/**
 * date-holidays computes its rules for any year, but CalendarData holds plain sets, so only
 * `years` are precomputed and only they count as covered: a date outside them is an estimate,
 * never silently a workday.
 *
 * Only type 'public' counts: 'bank', 'optional', 'school' and 'observance' days are not days off
 * for everyone. Substitute (observed) days, e.g. US 2021-07-05 for a Sunday 07-04, come back as
 * type 'public' with `substitute: true`, so they are included. A part-day public holiday (some
 * start at 12:00 or 18:00) counts as a whole day off; multi-day holidays count every day.
 */
function dateHolidaysData(region: string, years: YearRange): BaseData {
  if (
    !Number.isInteger(years.from) ||
    !Number.isInteger(years.to) ||
    years.from > years.to ||
    years.to - years.from > MAX_YEAR_SPAN
  ) {
    throw new Error(
      `Business calendar ${region}: years ${years.from}..${years.to} is not a range of at most ${MAX_YEAR_SPAN} years`,
    );
  }
  const [country = region, state] = region.split('-');
  const source = state === undefined ? new Holidays(country) : new Holidays(country, state);
  const holidays = new Set<string>();
  const coveredYears: number[] = [];
  for (let year = years.from; year <= years.to; year++) {
    coveredYears.push(year);
    for (const holiday of source.getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      // `date` is the local date; DST makes a day 23 or 25 hours, so allow slack before rounding up.
      const days = Math.max(
        1,
        Math.ceil((holiday.end.getTime() - holiday.start.getTime()) / DAY_MS - 0.1),
      );
      const first = Date.parse(`${holiday.date.slice(0, 10)}T00:00:00Z`);
      for (let i = 0; i < days; i++) {
        holidays.add(new Date(first + i * DAY_MS).toISOString().slice(0, 10));
      }
    }
  }
  return { holidays, workdays: [], coveredYears };
}

function regionOverrides(
  overrides: CalendarOverrides,
  region: string,
): Readonly<Record<string, CalendarYearOverride>> {
  for (const [key, byYear] of Object.entries(overrides.regions)) {
    if (key.trim().toUpperCase() === region) return byYear;
  }
  return {};
}

function jsonPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
