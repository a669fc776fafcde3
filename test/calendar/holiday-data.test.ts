import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chineseDays from 'chinese-days';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCalendarData,
  type CalendarOverrides,
  calendarCoverageWarnings,
  defaultCalendarYears,
  isSupportedRegion,
  loadCalendarOverridesFile,
  parseCalendarOverrides,
} from '../../src/calendar/holiday-data.js';
import { BusinessCalendar } from '../../src/domain/calendar.js';

const SH = 'Asia/Shanghai';
const WARNING_2027 =
  'Business calendar CN has no holiday data for 2027: SLA times for dates in 2027 are estimates (Mon-Fri). Add the official schedule to CERTOPS_CALENDAR_FILE.';

function cnCalendar(overrides?: CalendarOverrides): BusinessCalendar {
  return new BusinessCalendar(buildCalendarData({ region: 'CN', timeZone: SH, overrides }));
}

function overrides(json: unknown): CalendarOverrides {
  const result = parseCalendarOverrides(json);
  if (!result.ok) throw new Error(String(result.refusal.params?.problems));
  return result.value;
}

/** The problems text for an invalid document. */
function problems(json: unknown): string {
  const result = parseCalendarOverrides(json);
  expect(result.ok).toBe(false);
  return result.ok ? '' : String(result.refusal.params?.problems);
}

describe('CN from chinese-days', () => {
  const cn = cnCalendar();

  it('knows the 2025 National Day schedule', () => {
    expect(cn.isBusinessDay('2025-10-08')).toBe(false); // Wednesday, in lieu
    expect(cn.isBusinessDay('2025-09-28')).toBe(true); // working Sunday
    expect(cn.isBusinessDay('2025-10-11')).toBe(true); // working Saturday
    expect(cn.isBusinessDay('2025-10-01')).toBe(false);
  });

  it('covers the years in the package data (2004..2026 in 1.5.7) and no others', () => {
    expect(cn.isCovered(2004)).toBe(true);
    expect(cn.isCovered(2026)).toBe(true);
    expect(cn.isCovered(2003)).toBe(false);
    expect(cn.isCovered(2027)).toBe(false);
  });

  it('agrees with chinese-days isWorkday on every date of 2004..2026', () => {
    const disagreements: string[] = [];
    for (let t = Date.UTC(2004, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      if (cn.isBusinessDay(date) !== chineseDays.isWorkday(date)) disagreements.push(date);
    }
    expect(disagreements).toEqual([]);
  });

  it('reads 2027-01-01 as a working day (no data) and warns about 2027', () => {
    expect(cn.isBusinessDay('2027-01-01')).toBe(true);
    expect(calendarCoverageWarnings(cn, new Date('2026-12-01T00:00:00+08:00'))).toEqual([
      WARNING_2027,
    ]);
  });

  it('does not warn when the horizon stays inside covered years', () => {
    expect(calendarCoverageWarnings(cn, new Date('2026-06-01T00:00:00+08:00'))).toEqual([]);
    // 2026-11-01 + 60 days = 2026-12-31: still covered; + 61 reaches 2027.
    expect(calendarCoverageWarnings(cn, new Date('2026-11-01T12:00:00+08:00'))).toEqual([]);
    expect(calendarCoverageWarnings(cn, new Date('2026-11-01T12:00:00+08:00'), 61)).toEqual([
      WARNING_2027,
    ]);
  });

  it('gives one warning per uncovered year', () => {
    expect(calendarCoverageWarnings(cn, new Date('2027-06-01T00:00:00+08:00'), 400)).toEqual([
      WARNING_2027,
      WARNING_2027.replaceAll('2027', '2028'),
    ]);
  });
});

describe('overrides', () => {
  const complete2027 = overrides({
    regions: {
      CN: {
        '2027': {
          holidays: ['2027-01-01', '2027-02-05', '2027-02-08'],
          workdays: ['2027-02-07'],
          complete: true,
        },
      },
    },
  });

  it('a complete year is covered, removes the warning and its days count', () => {
    const cn = cnCalendar(complete2027);
    expect(cn.isCovered(2027)).toBe(true);
    expect(calendarCoverageWarnings(cn, new Date('2026-12-01T00:00:00+08:00'))).toEqual([]);
    expect(cn.isBusinessDay('2027-01-01')).toBe(false);
    expect(cn.isBusinessDay('2027-02-07')).toBe(true); // Sunday made a working day
    expect(cn.addBusinessDays(new Date('2026-12-31T10:00:00+08:00'), 1)).toEqual({
      at: new Date('2027-01-04T10:00:00+08:00'),
      estimated: false,
    });
  });

  it('without complete, entries are corrections and coverage is unchanged', () => {
    const cn = cnCalendar(overrides({ regions: { CN: { '2027': { holidays: ['2027-01-01'] } } } }));
    expect(cn.isBusinessDay('2027-01-01')).toBe(false);
    expect(cn.isCovered(2027)).toBe(false);
    expect(calendarCoverageWarnings(cn, new Date('2026-12-01T00:00:00+08:00'))).toEqual([
      WARNING_2027,
    ]);
  });

  it('corrects package data both ways', () => {
    const cn = cnCalendar(
      overrides({
        regions: { CN: { '2025': { workdays: ['2025-10-08'], holidays: ['2025-09-28'] } } },
      }),
    );
    expect(cn.isBusinessDay('2025-10-08')).toBe(true);
    expect(cn.isBusinessDay('2025-09-28')).toBe(false);
    expect(cn.isCovered(2025)).toBe(true);
  });

  it('applies only the configured region (keys compare case-insensitively)', () => {
    const other = overrides({ regions: { us: { '2025': { holidays: ['2025-10-10'] } } } });
    expect(cnCalendar(other).isBusinessDay('2025-10-10')).toBe(true);
    const us = new BusinessCalendar(
      buildCalendarData({ region: 'US', timeZone: 'America/New_York', overrides: other }),
    );
    expect(us.isBusinessDay('2025-10-10')).toBe(false);
  });

  it('names the JSON path of each problem', () => {
    expect(problems({ regions: { CN: { '2027': { holidays: ['2027-02-30'] } } } })).toBe(
      'regions.CN.2027.holidays[0]: not a real YYYY-MM-DD date',
    );
    expect(problems({ regions: { CN: { '2027': { workdays: ['2026-12-31'] } } } })).toBe(
      'regions.CN.2027.workdays[0]: 2026-12-31 is not in 2027',
    );
    expect(
      problems({
        regions: {
          CN: { '2027': { holidays: ['2027-01-01'], workdays: ['2027-02-07', '2027-01-01'] } },
        },
      }),
    ).toBe('regions.CN.2027.workdays[1]: 2027-01-01 is listed both as a holiday and as a workday');
    expect(problems({ regions: { CN: { '2027': { holiday: ['2027-01-01'] } } } })).toBe(
      'regions.CN.2027: Unrecognized key: "holiday"',
    );
    expect(problems({ regions: {}, comment: 'x' })).toBe('(root): Unrecognized key: "comment"');
    expect(problems({ regions: { CN: { '27': {} } } })).toBe(
      'regions.CN.27: year keys must be four digits',
    );
    expect(problems({ regions: { XX: {} } })).toBe('regions.XX: not a supported region');
    expect(problems({ regions: { CN: {}, cn: {} } })).toBe('regions.cn: CN is listed twice');
    expect(problems({ regions: { CN: { '2027': { complete: 'yes' } } } })).toMatch(
      /^regions\.CN\.2027\.complete: .*boolean/,
    );
    expect(problems([])).toMatch(/^\(root\): .*object/);
  });
});

describe('loadCalendarOverridesFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'certops-calendar-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function file(content: string): Promise<string> {
    const path = join(dir, `${randomUUID()}.json`);
    await writeFile(path, content);
    return path;
  }

  it('loads a valid file', async () => {
    const path = await file(
      JSON.stringify({ regions: { CN: { '2027': { holidays: ['2027-01-01'], complete: true } } } }),
    );
    expect(await loadCalendarOverridesFile(path)).toEqual({
      regions: { CN: { '2027': { holidays: ['2027-01-01'], workdays: [], complete: true } } },
    });
  });

  it('says when the file is missing', async () => {
    const path = join(dir, 'nope.json');
    await expect(loadCalendarOverridesFile(path)).rejects.toThrow(
      `Calendar overrides file ${path} does not exist`,
    );
  });

  it('says when the file is not JSON', async () => {
    const path = await file('{ regions: ');
    await expect(loadCalendarOverridesFile(path)).rejects.toThrow(
      `Calendar overrides file ${path} is not valid JSON`,
    );
  });

  it('says which entry is invalid', async () => {
    const path = await file(
      JSON.stringify({ regions: { CN: { '2027': { holidays: ['2027-02-30'] } } } }),
    );
    await expect(loadCalendarOverridesFile(path)).rejects.toThrow(
      `Calendar overrides file ${path} is invalid: regions.CN.2027.holidays[0]: not a real YYYY-MM-DD date`,
    );
  });
});

describe('other regions from date-holidays', () => {
  const years = { from: 2024, to: 2027 };
  const us = new BusinessCalendar(
    buildCalendarData({ region: 'US', timeZone: 'America/New_York', years }),
  );

  it('US: Independence Day is off, the day before is not', () => {
    expect(us.isBusinessDay('2025-07-04')).toBe(false);
    expect(us.isBusinessDay('2025-07-03')).toBe(true);
    expect(us.isBusinessDay('2025-07-05')).toBe(false); // Saturday
  });

  it('US: includes observed (substitute) days', () => {
    // 2026-07-04 is a Saturday; Friday 07-03 is the federal observed holiday.
    expect(us.isBusinessDay('2026-07-03')).toBe(false);
  });

  it('US: leaves out non-public days (Christmas Eve is optional, Valentine observance)', () => {
    expect(us.isBusinessDay('2025-12-24')).toBe(true);
    expect(us.isBusinessDay('2025-02-14')).toBe(true);
  });

  it('US: adds business days over Independence Day', () => {
    // Thu 2025-07-03 09:00 EDT + 1 → Mon 07-07 09:00 EDT.
    expect(us.addBusinessDays(new Date('2025-07-03T13:00:00Z'), 1)).toEqual({
      at: new Date('2025-07-07T13:00:00Z'),
      estimated: false,
    });
  });

  it('covers only the precomputed years, so dates outside are estimates', () => {
    expect(us.isCovered(2027)).toBe(true);
    expect(us.isCovered(2028)).toBe(false);
    expect(us.addBusinessDays(new Date('2027-12-31T13:00:00Z'), 1).estimated).toBe(true);
    expect(calendarCoverageWarnings(us, new Date('2027-12-01T00:00:00Z'))[0]).toMatch(
      /^Business calendar US has no holiday data for 2028/,
    );
  });

  it('DE: Tag der Deutschen Einheit is off', () => {
    const de = new BusinessCalendar(
      buildCalendarData({ region: 'DE', timeZone: 'Europe/Berlin', years }),
    );
    expect(de.isBusinessDay('2025-10-03')).toBe(false);
    expect(de.isBusinessDay('2025-10-02')).toBe(true);
  });

  it('a state adds its own holidays (US-CA: César Chávez Day)', () => {
    const ca = new BusinessCalendar(
      buildCalendarData({ region: 'US-CA', timeZone: 'America/Los_Angeles', years }),
    );
    expect(ca.isBusinessDay('2025-03-31')).toBe(false);
    expect(us.isBusinessDay('2025-03-31')).toBe(true);
  });

  it('counts every day of a multi-day holiday (KR 추석 2025 is three days)', () => {
    const kr = new BusinessCalendar(
      buildCalendarData({ region: 'KR', timeZone: 'Asia/Seoul', years }),
    );
    expect(['2025-10-06', '2025-10-07', '2025-10-08'].map((d) => kr.isBusinessDay(d))).toEqual([
      false,
      false,
      false,
    ]);
    expect(kr.isBusinessDay('2025-10-10')).toBe(true);
  });

  it('takes a configured weekend', () => {
    const friSat = new BusinessCalendar(
      buildCalendarData({ region: 'IL', timeZone: 'Asia/Jerusalem', years, weekendDays: [5, 6] }),
    );
    expect(friSat.isBusinessDay('2025-11-07')).toBe(false); // Friday
    expect(friSat.isBusinessDay('2025-11-09')).toBe(true); // Sunday
  });

  it('defaults to the current year -1..+5', () => {
    expect(defaultCalendarYears(new Date('2026-03-01T00:00:00Z'))).toEqual({
      from: 2025,
      to: 2031,
    });
  });

  it('refuses an absurd year range', () => {
    expect(() =>
      buildCalendarData({ region: 'US', timeZone: 'UTC', years: { from: 2030, to: 2020 } }),
    ).toThrow(/years 2030..2020/);
  });
});

describe('regions', () => {
  it('knows CN, date-holidays countries and states', () => {
    expect(isSupportedRegion('CN')).toBe(true);
    expect(isSupportedRegion('us')).toBe(true);
    expect(isSupportedRegion('US-CA')).toBe(true);
    expect(isSupportedRegion('DE')).toBe(true);
    expect(isSupportedRegion('XX')).toBe(false);
    expect(isSupportedRegion('US-ZZ')).toBe(false);
    expect(isSupportedRegion('CN-11')).toBe(false);
    expect(isSupportedRegion('')).toBe(false);
  });

  it('refuses an unknown region with a message config can show', () => {
    expect(() => buildCalendarData({ region: 'XX', timeZone: 'UTC' })).toThrow(
      /^CERTOPS_BUSINESS_REGION XX is not a supported region: /,
    );
  });
});
