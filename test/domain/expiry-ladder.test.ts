import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_DAYS,
  dueReminderThreshold,
  expiryDue,
} from '../../src/domain/expiry-ladder.js';

const TZ = 'Asia/Shanghai';
const notAfter = Date.parse('2026-12-31T12:00:00+08:00');
const on = (date: string) => new Date(`${date}T09:00:00+08:00`);
const live = { state: 'issued' as const, hosted: false, notAfter };

describe('expiry reminder ladder', () => {
  it('defaults to 30, 14, 7, 3, 1 days', () =>
    expect(DEFAULT_REMINDER_DAYS).toEqual([30, 14, 7, 3, 1]));

  it('sends each threshold once, one message per check, the most urgent reached', () => {
    expect(dueReminderThreshold(31, DEFAULT_REMINDER_DAYS, undefined)).toBeUndefined();
    expect(dueReminderThreshold(30, DEFAULT_REMINDER_DAYS, undefined)).toBe(30);
    expect(dueReminderThreshold(29, DEFAULT_REMINDER_DAYS, 30)).toBeUndefined();
    expect(dueReminderThreshold(14, DEFAULT_REMINDER_DAYS, 30)).toBe(14);
    expect(dueReminderThreshold(5, DEFAULT_REMINDER_DAYS, 30)).toBe(7);
    expect(dueReminderThreshold(5, DEFAULT_REMINDER_DAYS, 7)).toBeUndefined();
    expect(dueReminderThreshold(0, DEFAULT_REMINDER_DAYS, 3)).toBe(1);
  });

  it('walks the whole ladder over the last 31 days, each threshold exactly once', () => {
    let last: number | undefined;
    const sent: number[] = [];
    for (let day = 1; day <= 31; day++) {
      const now = new Date(Date.parse('2026-11-30T09:00:00+08:00') + day * 86_400_000);
      const due = expiryDue(live, now, TZ, DEFAULT_REMINDER_DAYS, last);
      if (due.kind === 'reminder') {
        sent.push(due.threshold);
        last = due.threshold;
      }
    }
    expect(sent).toEqual([30, 14, 7, 3, 1]);
  });

  it("activates a hosted certificate's renewal in the window instead of reminding", () => {
    expect(
      expiryDue(
        { ...live, hosted: true, renewalId: 'c9' },
        on('2026-12-10'),
        TZ,
        DEFAULT_REMINDER_DAYS,
        undefined,
      ),
    ).toEqual({
      kind: 'activate_renewal',
      renewalId: 'c9',
      daysLeft: 21,
    });
    // Hosted but nothing to activate: remind like an unhosted one.
    expect(
      expiryDue({ ...live, hosted: true }, on('2026-12-10'), TZ, DEFAULT_REMINDER_DAYS, undefined),
    ).toMatchObject({ kind: 'reminder', threshold: 30 });
  });

  it('reports an expired certificate, and nothing for certificates that are not live', () => {
    expect(expiryDue(live, on('2027-01-02'), TZ, DEFAULT_REMINDER_DAYS, 1)).toEqual({
      kind: 'expired',
      daysAgo: 2,
    });
    expect(
      expiryDue(
        { ...live, state: 'replaced' },
        on('2027-01-02'),
        TZ,
        DEFAULT_REMINDER_DAYS,
        undefined,
      ),
    ).toEqual({ kind: 'none' });
    expect(
      expiryDue(
        { ...live, notAfter: undefined },
        on('2026-12-20'),
        TZ,
        DEFAULT_REMINDER_DAYS,
        undefined,
      ),
    ).toEqual({ kind: 'none' });
    expect(expiryDue(live, on('2026-11-01'), TZ, DEFAULT_REMINDER_DAYS, undefined)).toEqual({
      kind: 'none',
    });
  });

  it('honours thresholds beyond the window when configured', () => {
    expect(expiryDue(live, on('2026-11-01'), TZ, [60, 30], undefined)).toMatchObject({
      kind: 'reminder',
      threshold: 60,
    });
  });
});
