import { describe, expect, it } from 'vitest';
import { checkDecider, nextApplicationStatus } from '../../src/domain/application.js';
import { displayState } from '../../src/domain/certificate.js';
import { contactFieldsSchema } from '../../src/domain/contact.js';
import {
  availableCredits,
  canHost,
  creditMoveOnApproval,
  creditMoveOnIssue,
  creditMoveOnRelease,
} from '../../src/domain/hosting.js';
import { specDifferences, specsMatchExactly, wildcardPolicy } from '../../src/domain/spec.js';

const spec = {
  brand: 'DigiCert',
  validationType: 'OV',
  domainType: 'wildcard',
  grade: 'Pro',
} as const;

describe('spec matching', () => {
  it('matches exactly on brand, type, domain type and grade (brand/grade case-insensitive)', () => {
    expect(specsMatchExactly(spec, { ...spec, brand: 'digicert', grade: ' pro ' })).toBe(true);
    expect(specDifferences(spec, { ...spec, brand: 'GeoTrust' })).toEqual(['brand']);
    expect(specDifferences(spec, { ...spec, validationType: 'EV' })).toEqual(['validationType']);
    expect(specDifferences(spec, { ...spec, domainType: 'multi_wildcard' })).toEqual([
      'domainType',
    ]);
    expect(specDifferences(spec, { ...spec, grade: 'Standard' })).toEqual(['grade']);
  });

  it('knows where wildcards may go', () => {
    expect(wildcardPolicy('single')).toBe('forbidden');
    expect(wildcardPolicy('multi')).toBe('forbidden');
    expect(wildcardPolicy('wildcard')).toBe('required');
    expect(wildcardPolicy('multi_wildcard')).toBe('required');
    expect(wildcardPolicy('hybrid')).toBe('allowed');
  });
});

describe('hosting credits', () => {
  const ledger = (purchased: number, held: number, spent: number) => ({
    team: 'web',
    purchased,
    held,
    spent,
  });

  it('counts what is available as bought - held - spent, never below zero', () => {
    expect(availableCredits(ledger(5, 1, 2))).toBe(2);
    expect(availableCredits(ledger(1, 2, 1))).toBe(0);
  });

  it('pays for hosting from a credit the instance holds, or from one available', () => {
    expect(canHost(ledger(2, 1, 1), {})).toEqual({
      ok: false,
      refusal: { code: 'hosting.no_credits', params: { team: 'web', purchased: 2 } },
    });
    expect(canHost(ledger(2, 1, 1), { hostingCredit: 'held' }).ok).toBe(true);
    expect(canHost(ledger(2, 1, 0), {}).ok).toBe(true);
  });

  it('holds at approval (reusing a hold), spends at issuance, releases what a closed request held', () => {
    const hosting = { kind: 'apply', hosting: true } as const;
    const plain = { kind: 'apply', hosting: false } as const;
    expect(creditMoveOnApproval(hosting, {})).toBe('hold');
    expect(creditMoveOnApproval(hosting, { hostingCredit: 'held' })).toBeUndefined();
    expect(creditMoveOnApproval(plain, { hostingCredit: 'held' })).toBe('release');
    expect(creditMoveOnApproval(plain, {})).toBeUndefined();
    expect(creditMoveOnApproval({ kind: 'enable_hosting', hosting: true }, {})).toBeUndefined();
    expect(creditMoveOnIssue({ hostingCredit: 'held' })).toBe('spend');
    expect(creditMoveOnIssue({ hostingCredit: 'spent' })).toBeUndefined();
    expect(creditMoveOnRelease({ hostingCredit: 'held' })).toBe('release');
    expect(creditMoveOnRelease({ hostingCredit: 'spent' })).toBeUndefined();
  });
});

describe('display state', () => {
  it('shows hosted only for a live hosted certificate', () => {
    expect(displayState({ state: 'issued', hosted: true })).toBe('hosted');
    expect(displayState({ state: 'uploaded', hosted: true })).toBe('hosted');
    expect(displayState({ state: 'issued', hosted: false })).toBe('issued');
    expect(displayState({ state: 'under_review', hosted: true })).toBe('under_review');
  });
});

describe('applications', () => {
  it('moves through approval, CA submission and outcome', () => {
    expect(nextApplicationStatus('awaiting_approval', 'approve')).toEqual({
      ok: true,
      value: 'approved',
    });
    expect(nextApplicationStatus('awaiting_approval', 'reject')).toEqual({
      ok: true,
      value: 'rejected',
    });
    expect(nextApplicationStatus('approved', 'submit')).toEqual({ ok: true, value: 'submitted' });
    expect(nextApplicationStatus('submitted', 'issue')).toEqual({ ok: true, value: 'issued' });
    expect(nextApplicationStatus('submitted', 'fail_validation')).toEqual({
      ok: true,
      value: 'validation_failed',
    });
    expect(nextApplicationStatus('approved', 'complete')).toEqual({ ok: true, value: 'completed' });
  });

  it('refuses a second decision', () => {
    expect(nextApplicationStatus('approved', 'approve')).toMatchObject({
      ok: false,
      refusal: { code: 'application.transition_not_allowed' },
    });
    expect(nextApplicationStatus('rejected', 'approve')).toMatchObject({ ok: false });
    expect(nextApplicationStatus('issued', 'reject')).toMatchObject({ ok: false });
  });

  it('lets only approvers decide, and never on their own request', () => {
    const approvers = new Set(['U_A', 'U_B']);
    expect(checkDecider({ requesterId: 'U_R' }, 'U_A', approvers)).toEqual({
      ok: true,
      value: true,
    });
    expect(checkDecider({ requesterId: 'U_R' }, 'U_X', approvers)).toMatchObject({
      ok: false,
      refusal: { code: 'approval.not_approver' },
    });
    expect(checkDecider({ requesterId: 'U_A' }, 'U_A', approvers)).toMatchObject({
      ok: false,
      refusal: { code: 'approval.own_request' },
    });
  });
});

describe('contact fields', () => {
  it('normalizes and validates name, email and phone', () => {
    expect(
      contactFieldsSchema.parse({
        name: ' Li Lei ',
        email: ' Li@Example.COM ',
        phone: '+86 138-0000-0000',
      }),
    ).toEqual({
      name: 'Li Lei',
      email: 'li@example.com',
      phone: '+8613800000000',
    });
    expect(
      contactFieldsSchema.safeParse({ name: '', email: 'a@b.co', phone: '123456' }).success,
    ).toBe(false);
    expect(
      contactFieldsSchema.safeParse({ name: 'x', email: 'not-an-email', phone: '123456' }).success,
    ).toBe(false);
    expect(
      contactFieldsSchema.safeParse({ name: 'x', email: 'a@b.co', phone: '12ab' }).success,
    ).toBe(false);
  });
});
