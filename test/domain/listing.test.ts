import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listGroupOf, listPlacement, listRanges } from '../../src/domain/listing.js';
import { expiryView, validFrom } from '../../src/domain/renewal.js';

const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin', 'Australia/Sydney', 'UTC'];
const DAY_MS = 86_400_000;

describe('list groups', () => {
  it('agree with expiryView for every live certificate, in every zone, across DST changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 0, 1) }),
        fc.integer({ min: -40 * DAY_MS, max: 40 * DAY_MS }),
        (zone, at, ahead) => {
          const now = new Date(at);
          const notAfter = at + ahead;
          const cert = { state: 'issued', notAfter } as const;
          const status = expiryView(notAfter, now, zone).status;
          expect(listGroupOf(cert, now, zone)).toBe(status);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('starts "valid" at midnight of the 31st natural day, also on a DST day', () => {
    // New York leaves DST on 2026-11-01: 31 days after 2026-10-05 is 2026-11-05, at 05:00Z.
    expect(
      new Date(validFrom(new Date('2026-10-05T12:00:00Z'), 'America/New_York')).toISOString(),
    ).toBe('2026-11-05T05:00:00.000Z');
    // Berlin enters DST on 2027-03-28: 31 days after 2027-03-01 is 2027-04-01, at 22:00Z the day before.
    expect(
      new Date(validFrom(new Date('2027-03-01T12:00:00Z'), 'Europe/Berlin')).toISOString(),
    ).toBe('2027-03-31T22:00:00.000Z');
  });

  it('places every state somewhere, and each group is a set of ranges in list order', () => {
    const ranges = listRanges(new Date('2026-12-07T00:00:00Z'), 'Asia/Shanghai');
    expect(ranges.expired[0]?.to).toBe(ranges.expiring[0]?.from);
    expect(ranges.expiring[0]?.to).toBe(ranges.valid[0]?.from);
    expect(listPlacement({ state: 'validation_failed' })).toEqual({ of: 'other', score: 0 });
    expect(listPlacement({ state: 'not_activated' })).toEqual({ of: 'other', score: 3 });
    expect(listPlacement({ state: 'replaced' })).toEqual({ of: 'other', score: 10 });
    expect(listGroupOf({ state: 'pending_application' }, new Date(), 'UTC')).toBe('in_progress');
    expect(listGroupOf({ state: 'issued' }, new Date(), 'UTC')).toBe('valid'); // undated
    expect(listGroupOf({ state: 'cancelled' }, new Date(), 'UTC')).toBe('closed');
  });
});
