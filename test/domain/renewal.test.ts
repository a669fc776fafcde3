import { describe, expect, it } from 'vitest';
import {
  expiryView,
  RENEWAL_WINDOW_DAYS,
  renewalWindowStart,
  renewOption,
} from '../../src/domain/renewal.js';
import { certificate } from '../support/fixtures.js';

const TZ = 'Asia/Shanghai';
// Expires 2026-12-23 10:00 Shanghai time.
const notAfter = Date.parse('2026-12-23T10:00:00+08:00');
const at = (iso: string) => new Date(iso);
const live = (overrides = {}) => certificate({ state: 'issued', notAfter, ...overrides });

describe('expiry window (30 natural days)', () => {
  it('is 30 days', () => expect(RENEWAL_WINDOW_DAYS).toBe(30));

  it('counts calendar dates in the configured zone, not 24-hour periods', () => {
    // 30 days and 1 hour before the instant, but 30 calendar dates before: inside the window.
    expect(expiryView(notAfter, at('2026-11-23T09:00:00+08:00'), TZ)).toEqual({
      status: 'expiring',
      daysLeft: 30,
    });
    expect(expiryView(notAfter, at('2026-11-22T23:59:00+08:00'), TZ)).toEqual({
      status: 'valid',
      daysLeft: 31,
    });
    // 2026-11-22 17:00 UTC is already 11-23 in Shanghai.
    expect(expiryView(notAfter, at('2026-11-22T17:00:00Z'), TZ).status).toBe('expiring');
    expect(expiryView(notAfter, at('2026-11-22T17:00:00Z'), 'UTC').status).toBe('valid');
  });

  it('is expired from the notAfter instant on, even on the same date', () => {
    expect(expiryView(notAfter, at('2026-12-23T09:59:59+08:00'), TZ)).toEqual({
      status: 'expiring',
      daysLeft: 0,
    });
    expect(expiryView(notAfter, at('2026-12-23T10:00:00+08:00'), TZ)).toEqual({
      status: 'expired',
      daysLeft: 0,
    });
    expect(expiryView(notAfter, at('2026-12-25T10:00:00+08:00'), TZ)).toEqual({
      status: 'expired',
      daysLeft: -2,
    });
  });

  it('starts at 00:00 of the 30th natural day before the expiry date', () => {
    expect(new Date(renewalWindowStart(notAfter, TZ)).toISOString()).toBe(
      new Date('2026-11-23T00:00:00+08:00').toISOString(),
    );
    const start = renewalWindowStart(notAfter, TZ);
    expect(expiryView(notAfter, new Date(start), TZ).status).toBe('expiring');
    expect(expiryView(notAfter, new Date(start - 1), TZ).status).toBe('valid');
  });

  it('starts at that day’s midnight also when a DST change lies between', () => {
    // New York expiry 2027-04-10 (EDT); its window starts 2027-03-11, still EST: 05:00Z.
    const ny = Date.parse('2027-04-10T12:00:00-04:00');
    expect(new Date(renewalWindowStart(ny, 'America/New_York')).toISOString()).toBe(
      '2027-03-11T05:00:00.000Z',
    );
    const start = renewalWindowStart(ny, 'America/New_York');
    expect(expiryView(ny, new Date(start), 'America/New_York').status).toBe('expiring');
    expect(expiryView(ny, new Date(start - 1), 'America/New_York').status).toBe('valid');
  });

  it('keeps one day per date across a DST change', () => {
    const ny = Date.parse('2027-04-10T12:00:00-04:00');
    expect(expiryView(ny, at('2027-03-11T12:00:00-05:00'), 'America/New_York').daysLeft).toBe(30);
  });
});

describe('what Renew means', () => {
  const before = at('2026-11-01T10:00:00+08:00'); // 52 days left
  const inside = at('2026-12-01T10:00:00+08:00'); // 22 days left

  it('more than 30 days before expiry, unhosted: enable hosting with exactly the same spec', () => {
    const cert = live();
    expect(renewOption(cert, before, TZ)).toEqual({
      ok: true,
      value: { kind: 'enable_hosting', spec: cert.spec, daysLeft: 52 },
    });
  });

  it('more than 30 days before expiry, hosted: already hosted', () => {
    expect(renewOption(live({ hosted: true }), before, TZ)).toEqual({
      ok: true,
      value: { kind: 'already_hosted', daysLeft: 52 },
    });
  });

  it('within 30 days, hosted: renews itself', () => {
    expect(renewOption(live({ hosted: true }), inside, TZ)).toEqual({
      ok: true,
      value: { kind: 'renews_automatically', daysLeft: 22 },
    });
  });

  it('within 30 days, unhosted: only the manual renewal purchase', () => {
    const cert = live();
    expect(renewOption(cert, inside, TZ)).toEqual({
      ok: true,
      value: { kind: 'manual_renewal_purchase', spec: cert.spec, daysLeft: 22 },
    });
  });

  it('applies to uploaded certificates too', () => {
    expect(renewOption(live({ state: 'uploaded' }), before, TZ).ok).toBe(true);
  });

  it.each([
    'pending_application',
    'under_review',
    'validation_failed',
    'not_activated',
    'merged',
    'replaced',
    'revoked',
    'cancelled',
  ] as const)('is refused for %s', (state) => {
    expect(renewOption(live({ state }), before, TZ)).toEqual({
      ok: false,
      refusal: { code: 'renew.not_live', params: { state } },
    });
  });

  it('is refused once expired, and without a known expiry', () => {
    expect(renewOption(live(), at('2026-12-24T10:00:00+08:00'), TZ)).toEqual({
      ok: false,
      refusal: { code: 'renew.expired', params: { daysAgo: 1 } },
    });
    expect(renewOption(live({ notAfter: undefined }), before, TZ)).toEqual({
      ok: false,
      refusal: { code: 'renew.no_expiry' },
    });
  });
});
