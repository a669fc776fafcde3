import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedEvents,
  CERTIFICATE_EVENTS,
  CERTIFICATE_STATES,
  type CertificateEvent,
  type CertificateState,
  canApplyFor,
  nextState,
  TERMINAL_STATES,
} from '../../src/domain/states.js';

/** The whole machine spelled out once more, independently of the implementation's table. */
const EXPECTED: Record<string, CertificateState> = {
  'pending_application+submit': 'under_review',
  'validation_failed+submit': 'under_review',
  'under_review+withdraw': 'pending_application',
  'under_review+issue': 'issued',
  'under_review+fail_validation': 'validation_failed',
  'pending_application+merge': 'merged',
  'validation_failed+merge': 'merged',
  'not_activated+activate': 'under_review',
  'issued+replace': 'replaced',
  'uploaded+replace': 'replaced',
  'issued+revoke': 'revoked',
  'pending_application+cancel': 'cancelled',
  'validation_failed+cancel': 'cancelled',
  'not_activated+cancel': 'cancelled',
};

describe('certificate state machine', () => {
  it.each(CERTIFICATE_STATES.flatMap((s) => CERTIFICATE_EVENTS.map((e) => [s, e] as const)))(
    '%s + %s',
    (state, event) => {
      const result = nextState(state, event);
      const expected = EXPECTED[`${state}+${event}`];
      if (expected) expect(result).toEqual({ ok: true, value: expected });
      else
        expect(result).toEqual({
          ok: false,
          refusal: { code: 'transition.not_allowed', params: { from: state, event } },
        });
    },
  );

  it('refuses to revoke a hosted certificate while its renewal is pending', () => {
    expect(nextState('issued', 'revoke', { hasPendingRenewal: true })).toEqual({
      ok: false,
      refusal: { code: 'transition.pending_renewal', params: { from: 'issued', event: 'revoke' } },
    });
  });

  it('lets only pending_application and validation_failed be applied for', () => {
    expect(CERTIFICATE_STATES.filter(canApplyFor)).toEqual([
      'pending_application',
      'validation_failed',
    ]);
  });

  it('has no way out of a terminal state', () => {
    for (const state of TERMINAL_STATES) expect(allowedEvents(state)).toEqual([]);
  });

  const creationStates: CertificateState[] = ['pending_application', 'uploaded', 'not_activated'];
  it('never reaches a forbidden state, whatever the events (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...creationStates),
        fc.array(fc.constantFrom(...CERTIFICATE_EVENTS), { maxLength: 40 }),
        (start, events) => {
          let state = start;
          const visited: CertificateState[] = [state];
          for (const event of events as CertificateEvent[]) {
            const result = nextState(state, event);
            if (TERMINAL_STATES.has(state)) expect(result.ok).toBe(false);
            if (!result.ok) continue;
            const to = result.value;
            // Issued only after a CA review; merged only from an instance that could be applied for.
            if (to === 'issued') expect(state).toBe('under_review');
            if (to === 'merged') expect(canApplyFor(state)).toBe(true);
            state = to;
            visited.push(state);
          }
          // An uploaded certificate never goes to a CA; nothing but creation makes one uploaded or not_activated.
          if (start === 'uploaded')
            expect(visited.every((s) => s === 'uploaded' || s === 'replaced')).toBe(true);
          expect(visited.slice(1).every((s) => s !== 'uploaded' && s !== 'not_activated')).toBe(
            true,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
