import { describe, expect, it } from 'vitest';
import { escalationSummary, requesterNotice } from '../../src/slack/features/clocks/views.js';
import type { OutboundMessage } from '../../src/usecases/ports/index.js';

type Escalation = Extract<OutboundMessage, { kind: 'escalation' }>;

/** Issue 13: a date counted in a year without holiday data says it is an estimate, everywhere. */
describe('estimated review dates in escalations', () => {
  const breach = (estimated?: boolean): Escalation => ({
    kind: 'escalation',
    cause: 'sla_breach',
    certificateId: 'c1',
    applicationId: 'a1',
    requesterId: 'UALICE',
    ...(estimated === undefined ? {} : { estimated }),
  });

  it('a breach counted on holiday data reads as before; an estimated one says so', () => {
    expect(escalationSummary(breach(), undefined, 'Asia/Shanghai').key).toBe(
      'clocks.summary.sla_breach',
    );
    expect(escalationSummary(breach(true), undefined, 'Asia/Shanghai').key).toBe(
      'clocks.summary.sla_breach_estimated',
    );
    expect(requesterNotice(breach())?.key).toBe('clocks.requester.sla_breach');
    expect(requesterNotice(breach(true))?.key).toBe('clocks.requester.sla_breach_estimated');
  });
});
