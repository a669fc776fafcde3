import { describe, expect, it } from 'vitest';
import {
  COMBINED_NAME_PREFIX,
  candidateIneligibility,
  combinedDomainType,
  instanceIneligibility,
  planCombination,
} from '../../src/domain/combine.js';
import { certificate } from '../support/fixtures.js';

const ov = (id: string, overrides = {}) =>
  certificate({
    id,
    spec: { brand: 'DigiCert', validationType: 'OV', domainType: 'single', grade: 'standard' },
    domainQuota: 1,
    ...overrides,
  });

describe('combine eligibility', () => {
  it('accepts OV/EV instances in pending_application or validation_failed with a 1-year validity', () => {
    expect(instanceIneligibility(ov('a'))).toEqual([]);
    expect(instanceIneligibility(ov('a', { state: 'validation_failed' }))).toEqual([]);
    expect(
      instanceIneligibility(
        ov('a', {
          spec: {
            brand: 'DigiCert',
            validationType: 'EV',
            domainType: 'single',
            grade: 'standard',
          },
        }),
      ),
    ).toEqual([]);
  });

  it('refuses DV, other states and other validities, with every reason', () => {
    const dv = ov('a', {
      spec: { brand: 'DigiCert', validationType: 'DV', domainType: 'single', grade: 'standard' },
      state: 'issued',
      validityYears: 2,
    });
    expect(instanceIneligibility(dv).map((r) => r.code)).toEqual([
      'combine.not_ov_ev',
      'combine.state',
      'combine.validity',
    ]);
    for (const state of [
      'under_review',
      'issued',
      'uploaded',
      'not_activated',
      'merged',
      'cancelled',
    ] as const) {
      expect(instanceIneligibility(ov('a', { state })).map((r) => r.code)).toEqual([
        'combine.state',
      ]);
    }
  });

  it('needs the same brand (case-insensitive) and the same type', () => {
    const current = ov('a');
    expect(
      candidateIneligibility(current, ov('b', { spec: { ...current.spec, brand: ' digicert ' } })),
    ).toEqual([]);
    expect(
      candidateIneligibility(
        current,
        ov('b', { spec: { ...current.spec, brand: 'GlobalSign' } }),
      ).map((r) => r.code),
    ).toEqual(['combine.brand_mismatch']);
    expect(
      candidateIneligibility(
        current,
        ov('b', { spec: { ...current.spec, validationType: 'EV' } }),
      ).map((r) => r.code),
    ).toEqual(['combine.type_mismatch']);
    expect(candidateIneligibility(current, current).map((r) => r.code)).toEqual([
      'combine.same_instance',
    ]);
  });

  it('needs the same grade (case-insensitive): the result keeps one grade', () => {
    const current = ov('a');
    expect(
      candidateIneligibility(current, ov('b', { spec: { ...current.spec, grade: ' Standard' } })),
    ).toEqual([]);
    const pro = ov('b', { spec: { ...current.spec, grade: 'pro' } });
    expect(candidateIneligibility(current, pro)).toEqual([
      {
        code: 'combine.grade_mismatch',
        params: { id: 'b', grade: 'pro', expected: current.spec.grade },
      },
    ]);
    expect(
      planCombination({ current, others: [pro], confirmedNoRefund: true, resultId: 'm1' }),
    ).toMatchObject({ ok: false, refusal: { code: 'combine.grade_mismatch' } });
  });
});

describe('planCombination', () => {
  it('sums the quotas of all instances, names the result cas-merge-..., consumes them all', () => {
    const result = planCombination({
      current: ov('a', { domainQuota: 2 }),
      others: [
        ov('b', { domainQuota: 3 }),
        ov('c', { domainQuota: 1, state: 'validation_failed' }),
      ],
      confirmedNoRefund: true,
      resultId: 'x1',
    });
    expect(result).toEqual({
      ok: true,
      value: {
        name: 'cas-merge-x1',
        spec: { brand: 'DigiCert', validationType: 'OV', domainType: 'multi', grade: 'standard' },
        domainQuota: 6,
        validityYears: 1,
        sourceIds: ['a', 'b', 'c'],
      },
    });
    expect(COMBINED_NAME_PREFIX).toBe('cas-merge');
  });

  it('requires the explicit no-refund confirmation', () => {
    expect(
      planCombination({
        current: ov('a'),
        others: [ov('b')],
        confirmedNoRefund: false,
        resultId: 'x',
      }),
    ).toEqual({
      ok: false,
      refusal: { code: 'combine.not_confirmed' },
    });
  });

  it('refuses an empty selection, a repeated instance, an ineligible current or candidate', () => {
    const plan = (current = ov('a'), others = [ov('b')]) =>
      planCombination({ current, others, confirmedNoRefund: true, resultId: 'x' });
    expect(plan(ov('a'), [])).toMatchObject({
      ok: false,
      refusal: { code: 'combine.nothing_selected' },
    });
    expect(plan(ov('a'), [ov('b'), ov('b')])).toMatchObject({
      ok: false,
      refusal: { code: 'combine.same_instance' },
    });
    expect(plan(ov('a'), [ov('a')])).toMatchObject({
      ok: false,
      refusal: { code: 'combine.same_instance' },
    });
    expect(plan(ov('a', { validityYears: 2 }))).toMatchObject({
      ok: false,
      refusal: { code: 'combine.validity' },
    });
    expect(plan(ov('a'), [ov('b', { state: 'issued' })])).toMatchObject({
      ok: false,
      refusal: { code: 'combine.state', params: { id: 'b' } },
    });
  });

  it('derives the domain type that lets the combined instance bind what its parts could', () => {
    expect(combinedDomainType(['single', 'multi'])).toBe('multi');
    expect(combinedDomainType(['wildcard', 'wildcard'])).toBe('multi_wildcard');
    expect(combinedDomainType(['single', 'wildcard'])).toBe('hybrid');
    expect(combinedDomainType(['hybrid', 'hybrid'])).toBe('hybrid');
  });
});
