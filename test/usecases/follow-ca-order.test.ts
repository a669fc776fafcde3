import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import {
  CA_ERROR_ESCALATE_AFTER_MS,
  followCaOrder,
  ordersToPoll,
} from '../../src/usecases/follow-ca-order.js';
import { CaError, type CaOrderState, type CaRegistry } from '../../src/usecases/ports/index.js';
import { ALICE, APPROVER, buy, type Harness, harness, pem } from '../support/usecase-harness.js';

/** A polling CA whose answers the test scripts, one per check. */
function scriptedCa(answers: Array<CaOrderState | Error>): CaRegistry {
  return {
    providerFor: () => ({
      name: 'scripted',
      outcomes: 'polling',
      submit: async ({ application }) => ({ orderId: `o-${application.id}` }),
      check: async () => {
        const next = answers.shift();
        if (!next) throw new Error('no scripted answer left');
        if (next instanceof Error) throw next;
        return next;
      },
    }),
  };
}

const dnsRecord = {
  domain: 'shop.example.com',
  type: 'dns-txt' as const,
  name: '_dnsauth.shop.example.com',
  value: 'abc123',
};
let h: Harness;
let answers: Array<CaOrderState | Error>;

beforeEach(async () => {
  answers = [];
  h = await harness({ ca: scriptedCa(answers) });
});
afterEach(async () => {
  await h.cleanup();
});

async function submitted(): Promise<string> {
  const [certId = ''] = await buy(h.ctx);
  const applied = await applyForCertificate(h.ctx, {
    certificateId: certId,
    requesterId: ALICE,
    domains: ['shop.example.com'],
    validationMethod: 'dns',
    contact: {
      kind: 'new',
      fields: { name: 'Li', email: 'li@example.com', phone: '+8613800000000' },
    },
    hosting: false,
  });
  const appId = applied.ok ? applied.value.application.id : '';
  await decideApplication(h.ctx, {
    applicationId: appId,
    deciderId: APPROVER,
    decision: 'approve',
  });
  return appId;
}

describe('following a CA order', () => {
  it('hands validation records the CA reveals while polled to the requester once, then records the issue', async () => {
    const appId = await submitted();
    expect(await ordersToPoll(h.ctx)).toEqual([appId]);
    answers.push(
      { state: 'processing' },
      { state: 'awaiting_validation', challenges: [dnsRecord] },
      { state: 'awaiting_validation', challenges: [dnsRecord] },
    );
    for (let i = 0; i < 3; i++)
      expect(await followCaOrder(h.ctx, appId, { verify: false })).toMatchObject({
        ok: true,
        value: { kind: 'waiting' },
      });
    expect(h.events.events.filter((e) => e.type === 'ca_challenges')).toEqual([
      expect.objectContaining({ challenges: [dnsRecord] }),
    ]);
    answers.push({ state: 'issued', certificatePem: pem('shop-ov-2126.pem') });
    expect(await followCaOrder(h.ctx, appId, { verify: false })).toEqual({
      ok: true,
      value: { kind: 'issued' },
    });
    expect((await h.ctx.store.applications.get(appId))?.status).toBe('issued');
    expect(await ordersToPoll(h.ctx)).toEqual([]);
  });

  it('records a validation failure with the CA reason', async () => {
    const appId = await submitted();
    answers.push({ state: 'failed', reason: 'domain_verify timed out' });
    expect(await followCaOrder(h.ctx, appId, { verify: false })).toEqual({
      ok: true,
      value: { kind: 'failed', reason: 'domain_verify timed out' },
    });
    expect(await h.ctx.store.applications.get(appId)).toMatchObject({
      status: 'validation_failed',
      decisionReason: 'domain_verify timed out',
    });
  });

  it('a CA that stays silent is escalated once after 30 minutes; an answer stops the clock', async () => {
    const appId = await submitted();
    const failures = () => h.events.events.filter((e) => e.type === 'ca_submission_failed');
    answers.push(
      new CaError('scripted', 'Throttling', true),
      new CaError('scripted', 'Throttling', true),
    );
    await followCaOrder(h.ctx, appId, { verify: false });
    h.clock.advance(CA_ERROR_ESCALATE_AFTER_MS - 1);
    expect(await followCaOrder(h.ctx, appId, { verify: false })).toMatchObject({
      ok: false,
      refusal: { code: 'ca.error', params: { error: 'Throttling' } },
    });
    expect(failures()).toEqual([]);
    answers.push(
      { state: 'processing' },
      new CaError('scripted', 'down', true),
      new CaError('scripted', 'down', true),
      new CaError('scripted', 'down', true),
    );
    await followCaOrder(h.ctx, appId, { verify: false });
    expect((await h.ctx.store.applications.get(appId))?.caErrorSince).toBeUndefined();
    await followCaOrder(h.ctx, appId, { verify: false });
    h.clock.advance(CA_ERROR_ESCALATE_AFTER_MS);
    await followCaOrder(h.ctx, appId, { verify: false });
    await followCaOrder(h.ctx, appId, { verify: false });
    expect(failures()).toEqual([expect.objectContaining({ error: 'down' })]);
    expect((await h.ctx.store.applications.get(appId))?.status).toBe('submitted');
  });
});
