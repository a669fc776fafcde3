import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REMINDER_DAYS } from '../../src/domain/expiry-ladder.js';
import { createLogger } from '../../src/infra/logger.js';
import { runCaPoll } from '../../src/jobs/ca-poll.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import { decideApplication } from '../../src/usecases/decide-application.js';
import { runExpiryCheck } from '../../src/usecases/expiry-check.js';
import type { OutboundMessage } from '../../src/usecases/ports/index.js';
import { CaError, type CaProvider } from '../../src/usecases/ports/index.js';
import { recordIssued } from '../../src/usecases/record-ca-outcome.js';
import { caseClosedKey } from '../../src/usecases/renewal-failure.js';
import { renewalOptions, requestRenewal } from '../../src/usecases/request-renewal.js';
import { uploadCertificate } from '../../src/usecases/upload-certificate.js';
import { ALICE, APPROVER, type Harness, harness, pem } from '../support/usecase-harness.js';

/**
 * Issue 13, "No dead ends": a certificate whose managed renewal (托管) failed carries that fact
 * (set in the change that records the failure), and a later success clears it in its own change
 * and closes support's case (a `case_closed` message, dispatched once per failure).
 * shop-ov-2126.pem expires 2127-03-01 08:00 in Asia/Shanghai: day 30 is 2127-01-30.
 */

/** A CA whose next submissions fail as scripted, then succeed. */
function scriptedCa(failures: CaError[]): CaProvider & { calls: number } {
  const provider = {
    name: 'scripted',
    outcomes: 'manual' as const,
    calls: 0,
    async submit({ application }: Parameters<CaProvider['submit']>[0]) {
      provider.calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return { orderId: `order-${application.id}` };
    },
  };
  return provider;
}

const NO_LONGER_SOLD = 'InvalidProduct: this product is no longer sold';
const refusedForGood = () => new CaError('scripted', NO_LONGER_SOLD, false);
const throttled = () => new CaError('scripted', 'Throttling: slow down', true);
const logger = createLogger({ level: 'error' as never, write: () => undefined });
const at = (local: string) => new Date(`${local}+08:00`);
const DAY_30 = '2127-01-30T09:00:00';

let h: Harness;
let ca: ReturnType<typeof scriptedCa>;
const failures: CaError[] = [];

beforeEach(async () => {
  failures.length = 0;
  ca = scriptedCa(failures);
  h = await harness({ ca: { providerFor: () => ca } });
});
afterEach(async () => {
  await h.cleanup();
});

function must<T>(result: { ok: true; value: T } | { ok: false; refusal: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.refusal));
  return result.value;
}

/** Alice's uploaded certificate with managed renewal enabled (approved), 240 days before expiry. */
async function hostedShop(): Promise<string> {
  const uploaded = must(
    await uploadCertificate(h.ctx, { pem: pem('shop-ov-2126.pem'), uploaderId: ALICE }),
  );
  const id = uploaded.certificate.id;
  const hosting = must(
    await requestRenewal(h.ctx, {
      certificateId: id,
      requesterId: ALICE,
      contact: {
        kind: 'new',
        fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
      },
    }),
  );
  must(
    await decideApplication(h.ctx, {
      applicationId: hosting.application.id,
      deciderId: APPROVER,
      decision: 'approve',
    }),
  );
  expect(await h.ctx.store.certificates.get(id)).toMatchObject({ hosted: true });
  return id;
}

const sent = (kind: OutboundMessage['kind']) =>
  [...h.dispatcher.sent.entries()].filter(([, message]) => message.kind === kind);

async function requestAndApprovePurchase(id: string) {
  const cert = await h.ctx.store.certificates.get(id);
  const purchase = must(
    await requestRenewal(h.ctx, {
      certificateId: id,
      requesterId: ALICE,
      contact: { kind: 'existing', contactId: cert?.contactId ?? '' },
    }),
  );
  const approve = () =>
    decideApplication(h.ctx, {
      applicationId: purchase.application.id,
      deciderId: APPROVER,
      decision: 'approve',
    });
  return { first: await approve(), again: await approve() };
}

describe('a managed renewal the CA refuses for good', () => {
  it('shows the failure from the fallback on; an approved renewal purchase clears it and closes the case, once', async () => {
    const id = await hostedShop();
    const before = await h.ctx.store.certificates.get(id);
    failures.push(refusedForGood());
    h.clock.set(at(DAY_30));
    await runExpiryCheck(h.ctx, DEFAULT_REMINDER_DAYS);

    // One change: no longer hosted, and the failure with the CA's words.
    const failed = await h.ctx.store.certificates.get(id);
    expect(failed).toMatchObject({
      hosted: false,
      version: (before?.version ?? 0) + 1,
      renewalFailure: { kind: 'refused', at: at(DAY_30).getTime(), reason: NO_LONGER_SOLD },
    });
    const history = await h.ctx.store.audit.history('cert', id, 10);
    expect(history.at(-1)).toMatchObject({ action: 'hosting_refused', reason: NO_LONGER_SOLD });
    expect(sent('escalation').map(([, m]) => m)).toEqual([
      expect.objectContaining({
        cause: 'renewal_failed',
        certificateId: id,
        detail: NO_LONGER_SOLD,
      }),
    ]);
    expect(sent('case_closed')).toEqual([]);

    // The renewal purchase Renew offers, approved (and the click repeated).
    h.clock.set(at('2127-01-31T10:00:00'));
    const { first, again } = await requestAndApprovePurchase(id);
    expect(first).toMatchObject({ ok: true, value: { application: { status: 'completed' } } });
    expect(again).toMatchObject({ ok: false, refusal: { code: 'decision.already_decided' } });
    const renewed = await h.ctx.store.certificates.get(id);
    expect(renewed?.renewalFailure).toBeUndefined();
    expect(renewed?.renewalId).toBeDefined();
    expect(sent('case_closed')).toEqual([
      [
        caseClosedKey(id, failed?.renewalFailure ?? { kind: 'refused', at: 0, reason: '' }),
        {
          kind: 'case_closed',
          certificateId: id,
          cause: 'renewal_purchase_approved',
          by: APPROVER,
        },
      ],
    ]);
  });

  it('refused on a retry by the CA poll: the same fallback, support told once', async () => {
    const id = await hostedShop();
    const renewalId = (await h.ctx.store.certificates.get(id))?.renewalId ?? '';
    failures.push(throttled(), refusedForGood());
    h.clock.set(at(DAY_30));
    await runExpiryCheck(h.ctx, DEFAULT_REMINDER_DAYS);
    h.clock.advance(2 * 60_000);
    await runCaPoll(h.ctx, logger);
    h.clock.advance(2 * 60_000);
    await runCaPoll(h.ctx, logger);

    const cert = await h.ctx.store.certificates.get(id);
    expect(cert).toMatchObject({
      hosted: false,
      renewalFailure: { kind: 'refused', reason: NO_LONGER_SOLD },
    });
    expect(cert?.renewalId).toBeUndefined();
    expect(await h.ctx.store.certificates.get(renewalId)).toMatchObject({ state: 'cancelled' });
    expect(ca.calls).toBe(2);
    expect(sent('escalation').map(([, m]) => m)).toEqual([
      expect.objectContaining({ cause: 'renewal_failed', detail: 'Throttling: slow down' }),
      expect.objectContaining({ cause: 'renewal_failed', detail: NO_LONGER_SOLD }),
    ]);
    expect(await renewalOptions(h.ctx, id, ALICE)).toMatchObject({
      ok: true,
      value: { option: { kind: 'manual_renewal_purchase' } },
    });
  });
});

describe('a managed renewal the CA could not take for a passing reason', () => {
  it('shows as being retried; the retry the CA takes clears it and closes the case, once', async () => {
    const id = await hostedShop();
    failures.push(throttled(), throttled());
    h.clock.set(at(DAY_30));
    await runExpiryCheck(h.ctx, DEFAULT_REMINDER_DAYS);
    const failing = await h.ctx.store.certificates.get(id);
    expect(failing).toMatchObject({
      hosted: true,
      renewalFailure: {
        kind: 'retrying',
        at: at(DAY_30).getTime(),
        reason: 'Throttling: slow down',
      },
    });
    expect(sent('escalation').map(([, m]) => m)).toEqual([
      expect.objectContaining({ cause: 'renewal_failed', detail: 'Throttling: slow down' }),
    ]);

    // Still throttled: the same failure, nothing written again.
    h.clock.advance(2 * 60_000);
    expect((await runCaPoll(h.ctx, logger)).submissions).toEqual({ retried: 1, submitted: 0 });
    expect(await h.ctx.store.certificates.get(id)).toEqual(failing);

    // The CA takes it: the failure is over, support's case closes.
    h.clock.advance(2 * 60_000);
    expect((await runCaPoll(h.ctx, logger)).submissions).toEqual({ retried: 1, submitted: 1 });
    const recovered = await h.ctx.store.certificates.get(id);
    expect(recovered?.renewalFailure).toBeUndefined();
    expect(recovered?.hosted).toBe(true);
    expect(await h.ctx.store.certificates.get(recovered?.renewalId ?? '')).toMatchObject({
      state: 'under_review',
    });
    const closed = [
      caseClosedKey(id, failing?.renewalFailure ?? { kind: 'retrying', at: 0, reason: '' }),
      { kind: 'case_closed', certificateId: id, cause: 'retry_submitted' },
    ];
    expect(sent('case_closed')).toEqual([closed]);

    // Run again: nothing left to retry, nothing closed twice.
    h.clock.advance(2 * 60_000);
    await runCaPoll(h.ctx, logger);
    await runExpiryCheck(h.ctx, DEFAULT_REMINDER_DAYS);
    expect(sent('case_closed')).toEqual([closed]);
    expect(ca.calls).toBe(3);
  });

  it('a submission the CA may have taken shows as stuck, not as being retried', async () => {
    const id = await hostedShop();
    failures.push(new CaError('scripted', 'the CA did not answer within 15 s', true, true));
    h.clock.set(at(DAY_30));
    await runExpiryCheck(h.ctx, DEFAULT_REMINDER_DAYS);
    expect(await h.ctx.store.certificates.get(id)).toMatchObject({
      hosted: true,
      renewalFailure: { kind: 'unanswered', reason: 'the CA did not answer within 15 s' },
    });
    h.clock.advance(2 * 60_000);
    await runCaPoll(h.ctx, logger);
    expect(ca.calls).toBe(1);
  });
});

describe('a renewal issued for a certificate that still shows a failure', () => {
  it('replaces it without the failure and closes the case', async () => {
    const uploaded = must(
      await uploadCertificate(h.ctx, { pem: pem('shop-ov-2126.pem'), uploaderId: ALICE }),
    );
    const id = uploaded.certificate.id;
    h.clock.set(at('2127-02-10T10:00:00'));
    const contact = {
      kind: 'new',
      fields: { name: 'Li Lei', email: 'li@example.com', phone: '+8613800000000' },
    } as const;
    const purchase = must(
      await requestRenewal(h.ctx, { certificateId: id, requesterId: ALICE, contact }),
    );
    must(
      await decideApplication(h.ctx, {
        applicationId: purchase.application.id,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    );
    const renewal = await h.ctx.store.certificates.get(
      (await h.ctx.store.certificates.get(id))?.renewalId ?? '',
    );
    const applied = must(
      await applyForCertificate(h.ctx, {
        certificateId: renewal?.id ?? '',
        requesterId: ALICE,
        domains: ['shop.example.com'],
        validationMethod: 'dns',
        contact: { kind: 'existing', contactId: renewal?.contactId ?? '' },
        hosting: false,
      }),
    );
    must(
      await decideApplication(h.ctx, {
        applicationId: applied.application.id,
        deciderId: APPROVER,
        decision: 'approve',
      }),
    );
    // A failure the original still shows when its renewal is issued (written here directly).
    const failure = { kind: 'unanswered', at: h.clock.now().getTime(), reason: '' } as const;
    const current = await h.ctx.store.certificates.get(id);
    if (!current) throw new Error('gone');
    const marked = await h.ctx.store.commit((tx) =>
      tx.updateCertificate(
        current,
        { ...current, renewalFailure: failure },
        { actor: 'test', at: failure.at, action: 'renewal_activation_failed' },
      ),
    );
    expect(marked.ok).toBe(true);

    must(
      await recordIssued(h.ctx, {
        applicationId: applied.application.id,
        actor: APPROVER,
        pem: pem('shop-ov-renewed-2127.pem'),
      }),
    );
    const replaced = await h.ctx.store.certificates.get(id);
    expect(replaced?.state).toBe('replaced');
    expect(replaced?.renewalFailure).toBeUndefined();
    expect(sent('case_closed')).toEqual([
      [
        caseClosedKey(id, failure),
        { kind: 'case_closed', certificateId: id, cause: 'renewal_issued' },
      ],
    ]);
  });
});
