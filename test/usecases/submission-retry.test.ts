import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';
import { runCaPoll } from '../../src/jobs/ca-poll.js';
import { applyForCertificate } from '../../src/usecases/apply-for-certificate.js';
import {
  CA_ERROR_ESCALATE_AFTER_MS,
  caLedger,
  decideApplication,
  SUBMIT_STOPPED,
} from '../../src/usecases/decide-application.js';
import { retrySubmission, submissionsToRetry } from '../../src/usecases/follow-ca-order.js';
import { CaError, type CaProvider } from '../../src/usecases/ports/index.js';
import { ALICE, APPROVER, buy, type Harness, harness } from '../support/usecase-harness.js';

/**
 * A CA that cannot take an approved application changes nothing but the error clock: the
 * requester and support hear of it once, the CA poll submits it again while the error is a
 * passing one, a persisting error is escalated once more, and a call the CA may have carried
 * out, or refused for good, is never repeated by itself.
 */

/** A CA whose next submissions fail as scripted, then succeed. */
function flakyCa(failures: CaError[]): CaProvider & { calls: number } {
  const provider = {
    name: 'flaky',
    outcomes: 'manual' as const,
    calls: 0,
    async submit({ application }: Parameters<CaProvider['submit']>[0]) {
      provider.calls++;
      const failure = failures.shift();
      if (failure) throw failure;
      return { orderId: `flaky-${application.id}` };
    },
  };
  return provider;
}

const throttled = () => new CaError('flaky', 'Throttling: slow down', true);
const logger = createLogger({ level: 'error' as never, write: () => undefined });

let h: Harness;
let ca: ReturnType<typeof flakyCa>;
const failures: CaError[] = [];

beforeEach(async () => {
  failures.length = 0;
  ca = flakyCa(failures);
  h = await harness({ ca: { providerFor: () => ca } });
});
afterEach(async () => {
  await h.cleanup();
});

async function approvedApplication(n = 1): Promise<string> {
  const [id] = await buy(h.ctx, { domainType: 'single', domainQuota: 1 });
  const applied = await applyForCertificate(h.ctx, {
    certificateId: id ?? '',
    requesterId: ALICE,
    domains: [`shop${n}.example.com`],
    validationMethod: 'dns',
    contact: {
      kind: 'new',
      fields: { name: `Li Lei ${n}`, email: `li${n}@example.com`, phone: `+861380000000${n}` },
    },
    hosting: false,
  });
  if (!applied.ok) throw new Error(JSON.stringify(applied.refusal));
  const appId = applied.value.application.id;
  await decideApplication(h.ctx, {
    applicationId: appId,
    deciderId: APPROVER,
    decision: 'approve',
  });
  return appId;
}

const failedEvents = () => h.events.events.filter((e) => e.type === 'ca_submission_failed');

describe('a CA that cannot take a submission', () => {
  it('is retried by the CA poll while the error passes, escalated once if it persists, then submitted', async () => {
    failures.push(throttled(), throttled(), throttled(), throttled());
    const appId = await approvedApplication();
    const stored = await h.ctx.store.applications.get(appId);
    expect(stored).toMatchObject({ status: 'approved', caErrorSince: h.clock.now().getTime() });
    expect(failedEvents()).toHaveLength(1);
    expect(await submissionsToRetry(h.ctx)).toEqual([appId]);

    // Still throttled two minutes later: asked again, nobody told again.
    h.clock.advance(2 * 60_000);
    expect((await runCaPoll(h.ctx, logger)).submissions).toEqual({ retried: 1, submitted: 0 });
    expect(failedEvents()).toHaveLength(1);

    // Still failing after 30 minutes: escalated once more, and only once.
    h.clock.advance(CA_ERROR_ESCALATE_AFTER_MS);
    await runCaPoll(h.ctx, logger);
    h.clock.advance(2 * 60_000);
    await runCaPoll(h.ctx, logger);
    expect(failedEvents()).toHaveLength(2);
    expect(ca.calls).toBe(4);

    // The CA is back: submitted, the error clock stopped, nothing left to retry.
    h.clock.advance(2 * 60_000);
    expect((await runCaPoll(h.ctx, logger)).submissions).toEqual({ retried: 1, submitted: 1 });
    const submitted = await h.ctx.store.applications.get(appId);
    expect(submitted?.status).toBe('submitted');
    expect(submitted?.caErrorSince).toBeUndefined();
    expect(await submissionsToRetry(h.ctx)).toEqual([]);
    await runCaPoll(h.ctx, logger);
    expect(ca.calls).toBe(5);
    expect(h.events.events.filter((e) => e.type === 'submitted_to_ca')).toHaveLength(1);
  });

  it('is retried by one poller only when two run at once (a submission spends CAS quota)', async () => {
    failures.push(throttled());
    const appId = await approvedApplication();
    h.clock.advance(2 * 60_000);
    const results = await Promise.all([
      retrySubmission(h.ctx, appId),
      retrySubmission(h.ctx, appId),
    ]);
    expect(results.filter((r) => r === undefined)).toHaveLength(1);
    expect(ca.calls).toBe(2);
    expect((await h.ctx.store.applications.get(appId))?.status).toBe('submitted');
  });

  it('is not retried when the CA refused for good, or may have taken the order', async () => {
    failures.push(new CaError('flaky', 'InvalidAccessKeyId: check the key', false));
    const refused = await approvedApplication();
    failures.push(new CaError('flaky', 'the CA did not answer within 15 s', true, true));
    const unknown = await approvedApplication(2);
    expect(await submissionsToRetry(h.ctx)).toEqual([]);
    for (const id of [refused, unknown]) {
      expect(await h.ctx.store.ledger.entries(caLedger(id))).toHaveProperty(SUBMIT_STOPPED);
      expect((await h.ctx.store.applications.get(id))?.status).toBe('approved');
    }
    const messages = failedEvents().map((e) => (e.type === 'ca_submission_failed' ? e.error : ''));
    expect(messages[0]).toBe('InvalidAccessKeyId: check the key');
    expect(messages[1]).toMatch(/may have taken the order.*will not submit it again/);
    await runCaPoll(h.ctx, logger);
    expect(ca.calls).toBe(2);
  });
});
