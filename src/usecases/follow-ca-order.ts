import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import { ok, type Result, refuse } from '../domain/result.js';
import type { UseCaseContext } from './context.js';
import {
  CA_ERROR_ESCALATE_AFTER_MS,
  caLedger,
  type DecisionOutcome,
  renewalCallsSettled,
  renewalOrderLedger,
  SUBMIT_STOPPED,
  submitToCa,
} from './decide-application.js';
import { fallBackAfterRetry, SYSTEM_ACTOR } from './expiry-check.js';
import { asUpdated, CaError, type CaOrderState } from './ports/index.js';
import { recordIssued, recordValidationFailed } from './record-ca-outcome.js';

export { CA_ERROR_ESCALATE_AFTER_MS };

export type FollowOutcome =
  | { readonly kind: 'issued' }
  | { readonly kind: 'failed'; readonly reason: string }
  | {
      readonly kind: 'waiting';
      readonly state: Extract<CaOrderState, { state: 'awaiting_validation' | 'processing' }>;
    };

/**
 * Asks the CA how a submitted order stands and records what it says: issued (the PEM goes
 * through the same checks as a person's), validation failed (with the CA's reason), or still
 * waiting (validation records the CA hands out only now reach the requester, once). `verify`
 * (ACME: the requester clicked Verify) lets the provider check the DNS records itself and ask
 * the CA to validate. A CA error changes nothing but the time it was first seen; if the CA
 * stays silent for CA_ERROR_ESCALATE_AFTER_MS, the requester and support are told, once.
 */
export async function followCaOrder(
  ctx: UseCaseContext,
  applicationId: string,
  options: { readonly verify: boolean },
): Promise<Result<FollowOutcome>> {
  const app = await ctx.store.applications.get(applicationId);
  if (!app) return refuse('application.not_found', { id: applicationId });
  if (app.status !== 'submitted')
    return refuse('outcome.not_under_review', { id: app.id, status: app.status });
  const cert = await ctx.store.certificates.get(app.certificateId);
  if (!cert?.caOrderId) return refuse('certificate.not_found', { id: app.certificateId });
  const provider = ctx.ca.providerFor(cert);
  if (!provider.check) return refuse('ca.no_status', { provider: provider.name });
  let state: CaOrderState;
  try {
    state = await provider.check(
      { orderId: cert.caOrderId, application: app, certificate: cert },
      options,
    );
  } catch (error) {
    const message = error instanceof CaError ? error.message : 'the CA could not be reached';
    await noteCaError(ctx, app, cert, message);
    return refuse('ca.error', { provider: provider.name, error: message });
  }
  const input = { applicationId: app.id, actor: SYSTEM_ACTOR, source: 'ca' as const };
  switch (state.state) {
    case 'issued': {
      const issued = await recordIssued(ctx, { ...input, pem: state.certificatePem });
      return issued.ok ? ok({ kind: 'issued' }) : issued;
    }
    case 'failed': {
      const failed = await recordValidationFailed(ctx, { ...input, reason: state.reason });
      return failed.ok ? ok({ kind: 'failed', reason: state.reason }) : failed;
    }
    default: {
      const current = await clearCaError(ctx, app);
      if (state.state === 'awaiting_validation' && state.challenges.length > 0) {
        await publishChallengesOnce(ctx, current, cert, state.challenges);
      }
      return ok({ kind: 'waiting', state });
    }
  }
}

async function publishChallengesOnce(
  ctx: UseCaseContext,
  app: Application,
  cert: Certificate,
  challenges: Extract<CaOrderState, { state: 'awaiting_validation' }>['challenges'],
): Promise<void> {
  const at = ctx.clock.now().getTime();
  const recorded = await ctx.store.commit((tx) =>
    tx.recordSent(caLedger(app.id), 'challenges', {
      actor: SYSTEM_ACTOR,
      at,
      action: 'ca_challenges',
    }),
  );
  if (recorded.ok)
    await ctx.events.publish({
      type: 'ca_challenges',
      application: app,
      certificate: cert,
      challenges,
    });
}

async function noteCaError(
  ctx: UseCaseContext,
  app: Application,
  cert: Certificate,
  message: string,
): Promise<void> {
  const at = ctx.clock.now().getTime();
  if (app.caErrorSince === undefined) {
    await ctx.store.commit((tx) =>
      tx.updateApplication(
        app,
        { ...app, caErrorSince: at },
        { actor: SYSTEM_ACTOR, at, action: 'ca_error', reason: message },
      ),
    );
    return;
  }
  if (at - app.caErrorSince < CA_ERROR_ESCALATE_AFTER_MS) return;
  const recorded = await ctx.store.commit((tx) =>
    tx.recordSent(caLedger(app.id), 'error-escalated', {
      actor: SYSTEM_ACTOR,
      at,
      action: 'ca_error_escalated',
      reason: message,
    }),
  );
  if (recorded.ok)
    await ctx.events.publish({
      type: 'ca_submission_failed',
      application: app,
      certificate: cert,
      error: message,
    });
}

/** The CA answered: the error clock stops (an escalation already sent stays sent). */
async function clearCaError(ctx: UseCaseContext, app: Application): Promise<Application> {
  if (app.caErrorSince === undefined) return app;
  const { caErrorSince: _cleared, ...rest } = app;
  const at = ctx.clock.now().getTime();
  const result = await ctx.store.commit((tx) =>
    tx.updateApplication(app, rest, { actor: SYSTEM_ACTOR, at, action: 'ca_answered' }),
  );
  return result.ok ? asUpdated(app, rest, at) : app;
}

/** Submitted applications whose CA reports on its own (polling providers): the poll job's list. */
export async function ordersToPoll(ctx: UseCaseContext): Promise<string[]> {
  const apps = await ctx.store.applications.getMany(
    await ctx.store.applications.idsWithStatus('submitted'),
  );
  const certs = await ctx.store.certificates.getMany(apps.map((a) => a.certificateId));
  const polling = new Set(
    certs
      .filter((c) => c.caOrderId && ctx.ca.providerFor(c).outcomes === 'polling')
      .map((c) => c.id),
  );
  return apps.filter((a) => polling.has(a.certificateId)).map((a) => a.id);
}

/** Retries of one submission are at most one per this slot, whoever runs them. */
export const SUBMIT_RETRY_SLOT_MS = 60_000;

/**
 * Submits again an application the CA refused for a passing reason. The attempt is claimed in
 * the CA ledger for the current slot first, so two pollers running at once (a stalled job taken
 * over) never both call the CA: a submission to CAS spends package quota. A managed renewal the
 * CA now refuses for good falls back from hosting. Returns undefined when another run has this
 * slot.
 */
export async function retrySubmission(
  ctx: UseCaseContext,
  applicationId: string,
): Promise<Result<DecisionOutcome> | undefined> {
  const at = ctx.clock.now().getTime();
  const slot = Math.floor(at / SUBMIT_RETRY_SLOT_MS);
  const claimed = await ctx.store.commit((tx) =>
    tx.recordSent(caLedger(applicationId), `submit-retry:${slot}`, {
      actor: SYSTEM_ACTOR,
      at,
      action: 'ca_submit_retry',
    }),
  );
  if (!claimed.ok) return undefined;
  const submitted = await submitToCa(ctx, applicationId, SYSTEM_ACTOR);
  if (submitted.ok) await fallBackAfterRetry(ctx, submitted.value);
  return submitted;
}

/**
 * Approved applications whose submission the CA refused for a passing reason (throttling, an
 * outage): the poll job submits them again. Ones refused for good, or whose call the CA never
 * answered (it may have taken the order), are left to people (see submitToCa).
 */
export async function submissionsToRetry(ctx: UseCaseContext): Promise<string[]> {
  const apps = await ctx.store.applications.getMany(
    await ctx.store.applications.idsWithStatus('approved'),
  );
  const failed = apps.filter((a) => a.kind === 'apply' && a.caErrorSince !== undefined);
  const ledgers = await ctx.store.ledger.entriesOfMany(failed.map((a) => caLedger(a.id)));
  return failed.filter((_, i) => ledgers[i]?.[SUBMIT_STOPPED] === undefined).map((a) => a.id);
}

/**
 * Approved renewal purchases whose CA refused to sell the renewal (Alibaba Cloud CAS): the poll
 * job asks again. Those whose call the CA never answered are left to people (see
 * purchaseRenewalAtCa).
 */
export async function renewalsToRetry(ctx: UseCaseContext): Promise<string[]> {
  const apps = await ctx.store.applications.getMany(
    await ctx.store.applications.idsWithStatus('approved'),
  );
  const failed = apps.filter((a) => a.kind === 'renewal_purchase' && a.caErrorSince !== undefined);
  const certs = new Map(
    (await ctx.store.certificates.getMany(failed.map((a) => a.certificateId))).map((c) => [
      c.id,
      c,
    ]),
  );
  const subjects = failed.map((a) => {
    const cert = certs.get(a.certificateId);
    return [caLedger(a.id), ...(cert ? [renewalOrderLedger(cert)] : [])];
  });
  const ledgers = await ctx.store.ledger.entriesOfMany(subjects.flat());
  let next = 0;
  return failed
    .filter((_, i) => {
      const mine = ledgers.slice(next, next + (subjects[i]?.length ?? 0));
      next += subjects[i]?.length ?? 0;
      return renewalCallsSettled(...mine.map((l) => l ?? {}));
    })
    .map((a) => a.id);
}
