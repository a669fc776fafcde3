import { type Application, checkDecider, nextApplicationStatus } from '../domain/application.js';
import {
  type Certificate,
  type RenewalFailure,
  withoutRenewalFailure,
} from '../domain/certificate.js';
import { planCombination } from '../domain/combine.js';
import {
  type CreditMove,
  canHost,
  creditMoveOnApproval,
  creditMoveOnRelease,
} from '../domain/hosting.js';
import { renewalInstance, renewRequestHolds } from '../domain/renewal.js';
import { ok, type Refusal, type Result, refuse } from '../domain/result.js';
import { reviewSla } from '../domain/sla.js';
import { nextState } from '../domain/states.js';
import type { UseCaseContext } from './context.js';
import { markCredit, writeCreditMove } from './hosting-credits.js';
import {
  type AuditNote,
  asCreated,
  asUpdated,
  CaError,
  type DomainChallenge,
  type Transaction,
} from './ports/index.js';
import { conflictRefusal } from './refusals.js';
import { dispatchCaseClosed, managedOriginal } from './renewal-failure.js';
import { linkedRenewal } from './request-renewal.js';

/** The ledger subject of what was sent about an application's CA order. */
export const caLedger = (applicationId: string) => `ca:${applicationId}`;
/**
 * The renewal purchases at the CA of one certificate for one validity period: whichever request
 * asks, a certificate's renewal is bought at most once per notAfter.
 */
export const renewalOrderLedger = (cert: Pick<Certificate, 'id' | 'notAfter'>) =>
  `ca-renewal:${cert.id}:${cert.notAfter ?? 'none'}`;

/** A CA that has not answered about an order for this long is escalated to support, once. */
export const CA_ERROR_ESCALATE_AFTER_MS = 30 * 60 * 1000;

/**
 * Ledger entries of a renewal bought at the CA: `renewal-order:<n>` is written before the n-th
 * call, `renewal-order:<n>:refused` once the CA said no to it. A call with neither an outcome
 * entry nor a completed application (in flight, or the CA never answered) is never repeated.
 */
const RENEWAL_CALL = /^renewal-order:\d+$/;
const RENEWAL_REFUSED = /^renewal-order:\d+:refused$/;

/** Longest reason an approver can give; Slack's input is capped to match. */
export const MAX_REASON_LENGTH = 500;

export interface DecisionInput {
  readonly applicationId: string;
  readonly deciderId: string;
  readonly decision: 'approve' | 'reject';
  readonly reason?: string;
}

export interface DecisionOutcome {
  readonly application: Application;
  /** Set when the CA could not take an approved application; it stays approved, to be retried. */
  readonly caError?: string;
  /** The CA answered the call with a refusal no retry changes (not busy, not unanswered). */
  readonly caRefused?: boolean;
}

/**
 * An approver's decision. Exactly one decision counts: the store refuses a second one (double
 * click, Slack retry, two approvers at once) as already changed, and the refusal says who
 * decided. Approving carries the request out: an application goes to the CA; hosting, renewal
 * purchases and combinations are recorded.
 */
export async function decideApplication(
  ctx: UseCaseContext,
  input: DecisionInput,
): Promise<Result<DecisionOutcome>> {
  const app = await ctx.store.applications.get(input.applicationId);
  if (!app) return refuse('application.not_found', { id: input.applicationId });
  const allowed = checkDecider(app, input.deciderId, ctx.policy.approvers);
  if (!allowed.ok) return allowed;
  const decided = alreadyDecided(app);
  if (decided) return decided;
  const reason = input.reason?.trim();
  if (input.decision === 'reject' && !reason) return refuse('decision.reason_required');
  if (reason && reason.length > MAX_REASON_LENGTH)
    return refuse('decision.reason_too_long', { max: MAX_REASON_LENGTH });
  const cert = await ctx.store.certificates.get(app.certificateId);
  if (!cert) return refuse('certificate.not_found', { id: app.certificateId });

  const now = ctx.clock.now().getTime();
  const event = input.decision === 'approve' ? 'approve' : 'reject';
  const status = nextApplicationStatus(app.status, event);
  if (!status.ok) return status;
  const decidedApp: Application = {
    ...app,
    status: status.value,
    decidedBy: input.deciderId,
    decidedAt: now,
    ...(reason ? { decisionReason: reason } : {}),
  };
  const note: AuditNote = {
    actor: input.deciderId,
    at: now,
    action: event,
    ...(reason ? { reason } : {}),
  };

  if (input.decision === 'reject')
    return closeRequest(ctx, { app, closed: decidedApp, cert, note, decision: 'rejected' });

  // A renew request is evaluated again now, by the rule that offered it (the 30-day window
  // may have begun, or the certificate expired, since it was asked for).
  if (app.kind === 'enable_hosting' || app.kind === 'renewal_purchase') {
    const renewal = await linkedRenewal(ctx, cert);
    const holds = renewRequestHolds(app.kind, cert, new Date(now), ctx.policy.timeZone, renewal);
    if (!holds.ok) return lapse(ctx, app, cert, input.deciderId, holds.refusal, now);
  }
  if (app.kind === 'apply') return approveAndSubmit(ctx, app, decidedApp, cert, note);
  return approveAndCarryOut(ctx, app, decidedApp, cert, note);
}

/**
 * A request for an instance that ends without being carried out gives back the hosting credit
 * its instance holds (a renew request that enables hosting buys the renewal itself: no credit).
 */
export function creditReleasedByClosing(
  app: Pick<Application, 'kind'>,
  cert: Certificate,
): CreditMove | undefined {
  return app.kind === 'apply' ? creditMoveOnRelease(cert) : undefined;
}

/**
 * An approval that came too late: what the request asked for no longer applies. Nothing is
 * carried out; the request is closed as `lapsed` with the reason, the instance is free again,
 * and the requester is told what is possible now.
 */
async function lapse(
  ctx: UseCaseContext,
  app: Application,
  cert: Certificate,
  deciderId: string,
  why: Refusal,
  now: number,
): Promise<Result<DecisionOutcome>> {
  const status = nextApplicationStatus(app.status, 'lapse');
  if (!status.ok) return status;
  const lapsed: Application = {
    ...app,
    status: status.value,
    decidedBy: deciderId,
    decidedAt: now,
    lapse: why,
  };
  const note: AuditNote = { actor: deciderId, at: now, action: 'lapse', reason: why.code };
  return closeRequest(ctx, { app, closed: lapsed, cert, note, decision: 'lapsed' });
}

/**
 * Closes a request without carrying it out (rejected, lapsed): the instance and a
 * combination's others are free again, a hosting credit the request held is given back, and
 * the requester is told.
 */
async function closeRequest(
  ctx: UseCaseContext,
  request: {
    readonly app: Application;
    readonly closed: Application;
    readonly cert: Certificate;
    readonly note: AuditNote;
    readonly decision: 'rejected' | 'lapsed';
  },
): Promise<Result<DecisionOutcome>> {
  const { app, closed, cert, note, decision } = request;
  const credit = creditReleasedByClosing(app, cert);
  const freed = markCredit(releaseInstance(cert), credit);
  const held = (await ctx.store.certificates.getMany(app.combineWith ?? [])).filter(
    (c) => c.openApplicationId === app.id,
  );
  const result = await ctx.store.commit((tx) => {
    tx.updateApplication(app, closed, note);
    tx.updateCertificate(cert, freed, note);
    for (const other of held) tx.updateCertificate(other, releaseInstance(other), note);
    writeCreditMove(tx, cert, credit, note);
  });
  if (!result.ok) return explainConflict(ctx, app, result.conflict);
  const stored = asUpdated(app, closed, note.at);
  await ctx.events.publish({
    type: 'application_decided',
    application: stored,
    certificate: asUpdated(cert, freed, note.at),
    decision,
  });
  return ok({ application: stored });
}

/** The instance is free for the next request. */
export function releaseInstance(cert: Certificate): Certificate {
  const { openApplicationId: _released, ...rest } = cert;
  return rest;
}

function alreadyDecided(
  app: Application,
): { ok: false; refusal: { code: string; params: Record<string, string | number> } } | undefined {
  if (app.status === 'awaiting_approval') return undefined;
  return {
    ok: false,
    refusal: {
      code: 'decision.already_decided',
      params: { id: app.id, status: app.status, by: app.decidedBy ?? '', at: app.decidedAt ?? 0 },
    },
  };
}

async function explainConflict(
  ctx: UseCaseContext,
  app: Application,
  conflict: Parameters<typeof conflictRefusal>[0],
) {
  if (conflict.kind === 'changed' && conflict.entity === 'app') {
    const now = await ctx.store.applications.get(app.id);
    const decided = now && alreadyDecided(now);
    if (decided) return decided;
  }
  return conflictRefusal(conflict);
}

/**
 * Approve first (exactly one approval wins), then the winner alone talks to the CA. A hosting
 * credit is held with the approval, atomically: with none left the request lapses instead.
 */
async function approveAndSubmit(
  ctx: UseCaseContext,
  app: Application,
  approved: Application,
  cert: Certificate,
  note: AuditNote,
): Promise<Result<DecisionOutcome>> {
  const credit = creditMoveOnApproval(app, cert);
  const marked = markCredit(cert, credit);
  const result = await ctx.store.commit((tx) => {
    tx.updateApplication(app, approved, note);
    if (credit) tx.updateCertificate(cert, marked, note);
    writeCreditMove(tx, cert, credit, note);
  });
  if (!result.ok && result.conflict.kind === 'no_credits') {
    const refusal = canHost(await ctx.store.hostingCredits.get(cert.team), cert);
    if (!refusal.ok) return lapse(ctx, app, cert, note.actor, refusal.refusal, note.at);
  }
  if (!result.ok) return explainConflict(ctx, app, result.conflict);
  const stored = asUpdated(app, approved, note.at);
  await ctx.events.publish({
    type: 'application_decided',
    application: stored,
    certificate: cert,
    decision: 'approved',
  });
  return submitToCa(ctx, stored.id, note.actor);
}

/**
 * Hands an approved application to its CA. Also the retry path (the CA poll job): an
 * application the CA could not take stays `approved`, with its error clock started, and is
 * submitted again while the error is transient. The first failure reaches the requester and
 * support; one that persists CA_ERROR_ESCALATE_AFTER_MS is escalated once more. A call the CA
 * may have carried out (no answer) or refused for good is not repeated.
 */
export async function submitToCa(
  ctx: UseCaseContext,
  applicationId: string,
  actor: string,
): Promise<Result<DecisionOutcome>> {
  const loaded = await approvedApplication(ctx, applicationId, 'apply');
  if (!loaded.ok) return loaded;
  const { app, cert } = loaded.value;
  // A hosted certificate's renewal is activated rather than submitted (未激活 -> 审核中).
  const toReview = nextState(cert.state, cert.state === 'not_activated' ? 'activate' : 'submit');
  if (!toReview.ok) return toReview;
  const [contact, original] = await Promise.all([
    app.contactId ? ctx.store.contacts.get(app.contactId) : undefined,
    managedOriginal(ctx, cert),
  ]);
  let orderId: string;
  let challenges: readonly DomainChallenge[] = [];
  let actionNeeded: string | undefined;
  try {
    ({
      orderId,
      challenges = [],
      actionNeeded,
    } = await ctx.ca
      .providerFor(cert)
      .submit({ application: app, certificate: cert, ...(contact ? { contact } : {}) }));
  } catch (error) {
    const caError = error instanceof CaError ? error : undefined;
    const unknown = !caError || caError.outcomeUnknown;
    const message = unknown
      ? `${caError?.message ?? 'the CA could not be reached'}. It may have taken the order all the same, so CertOps will not submit it again by itself: check the CA's console for an order of ${cert.spec.brand}`
      : caError.message;
    const retry = caError?.transient === true && !caError.outcomeUnknown;
    const refused = caError !== undefined && !caError.transient && !caError.outcomeUnknown;
    // A managed renewal's certificate shows the failure. Refused for good, the caller falls
    // back from hosting, which records it (activateHostedRenewal, fallBackAfterRetry).
    const failure: RenewalFailure | undefined =
      original && !refused
        ? {
            kind: retry ? 'retrying' : 'unanswered',
            at: ctx.clock.now().getTime(),
            reason: caError?.message ?? '',
          }
        : undefined;
    return caCallFailed(
      ctx,
      { app, cert, actor, message, refused, ...(original && failure ? { original, failure } : {}) },
      retry ? [] : [SUBMIT_STOPPED],
    );
  }
  const submittedAt = ctx.clock.now();
  const sla = reviewSla(cert.spec.validationType, submittedAt, ctx.calendar);
  // The CA took it: the error clock of earlier attempts stops.
  const { caErrorSince: _answered, ...unerred } = app;
  const submitted: Application = { ...unerred, status: 'submitted', ...(sla ? { sla } : {}) };
  const underReview: Certificate = {
    ...cert,
    state: toReview.value,
    domains: app.domains,
    caOrderId: orderId,
    ...(app.contactId ? { contactId: app.contactId } : {}),
  };
  const note = {
    actor,
    at: submittedAt.getTime(),
    action: 'submit',
    reason: `CA order ${orderId}`,
  };
  const write = (tx: Transaction) => {
    tx.updateApplication(app, submitted, note);
    tx.updateCertificate(cert, underReview, note);
    // The requester hears about the records once, now; a later poll will not repeat them.
    if (challenges.length > 0)
      tx.recordSent(caLedger(app.id), 'challenges', { ...note, action: 'ca_challenges' });
  };
  // A managed renewal that failed before and is now taken: its certificate's failure is over.
  let recovered = original?.renewalFailure ? original : undefined;
  let result = await ctx.store.commit((tx) => {
    write(tx);
    if (recovered)
      tx.updateCertificate(recovered, withoutRenewalFailure(recovered), {
        ...note,
        action: 'renewal_failure_closed',
      });
  });
  if (!result.ok && recovered) {
    // That certificate changed meanwhile: the order the CA took is recorded all the same.
    recovered = undefined;
    result = await ctx.store.commit(write);
  }
  if (!result.ok) return conflictRefusal(result.conflict);
  if (recovered) await dispatchCaseClosed(ctx, recovered, 'retry_submitted');
  const stored = asUpdated(app, submitted, note.at);
  if (sla) {
    // Only an accelerator: a lost alarm is found by the review sweep from the store's index.
    await ctx.reviewAlarms?.schedule(app.id, sla.remindAt, sla.breachAt).catch(() => undefined);
  }
  if (challenges.length > 0) {
    await ctx.events.publish({
      type: 'ca_challenges',
      application: stored,
      certificate: asUpdated(cert, underReview, note.at),
      challenges,
    });
  }
  await ctx.events.publish({
    type: 'submitted_to_ca',
    application: stored,
    certificate: asUpdated(cert, underReview, note.at),
    ...(actionNeeded ? { caActionNeeded: actionNeeded } : {}),
  });
  return ok({ application: stored });
}

/**
 * Hosting and combinations have no CA step: approval carries them out. So does a renewal
 * purchase, unless the certificate's CA sells renewals of its order (Alibaba Cloud CAS): then
 * the renewal is bought there first.
 */
async function approveAndCarryOut(
  ctx: UseCaseContext,
  app: Application,
  approved: Application,
  cert: Certificate,
  note: AuditNote,
): Promise<Result<DecisionOutcome>> {
  if (app.kind === 'renewal_purchase' && renewsAtCa(ctx, cert))
    return approveAndRenewAtCa(ctx, app, approved, note);
  const completed = nextApplicationStatus(approved.status, 'complete');
  if (!completed.ok) return completed;
  const done: Application = { ...approved, status: completed.value };
  const freed = releaseInstance(cert);
  const now = note.at;
  let write: (tx: Transaction) => void;
  let publish: () => Promise<void>;

  if (app.kind === 'enable_hosting' || app.kind === 'renewal_purchase') {
    const renewal = renewalInstance(cert, {
      id: ctx.ids.next('cert'),
      state: app.kind === 'enable_hosting' ? 'not_activated' : 'pending_application',
      domains: cert.domains,
      ...(app.contactId ? { contactId: app.contactId } : {}),
      at: now,
    });
    // Linked either way: one renewal at a time (a second Renew points to this one).
    const original: Certificate =
      app.kind === 'enable_hosting'
        ? {
            ...freed,
            hosted: true,
            renewalId: renewal.id,
            ...(app.contactId ? { contactId: app.contactId } : {}),
          }
        : // A renewal purchase overcomes a failed managed renewal (support's case closes).
          withoutRenewalFailure({ ...freed, renewalId: renewal.id });
    write = (tx) => {
      tx.updateApplication(app, done, note);
      tx.updateCertificate(cert, original, note);
      tx.createCertificate(renewal, {
        ...note,
        action: app.kind === 'enable_hosting' ? 'create_hosted_renewal' : 'purchase_renewal',
      });
    };
    publish = async () => {
      await ctx.events.publish({
        type: app.kind === 'enable_hosting' ? 'hosting_enabled' : 'renewal_purchased',
        application: asUpdated(app, done, now),
        certificate: asUpdated(cert, original, now),
        renewal: asCreated(renewal, now),
      });
      if (app.kind === 'renewal_purchase')
        await dispatchCaseClosed(ctx, cert, 'renewal_purchase_approved', note.actor);
    };
  } else {
    // combine: the plan is made again against the instances as they are now.
    const others = await ctx.store.certificates.getMany(app.combineWith ?? []);
    if (others.length !== (app.combineWith ?? []).length) return refuse('combine.instance_missing');
    const busy = others.find(
      (other) => other.openApplicationId !== undefined && other.openApplicationId !== app.id,
    );
    if (busy)
      return refuse('request.open', { id: busy.id, applicationId: busy.openApplicationId ?? '' });
    const resultId = ctx.ids.next('cert');
    const plan = planCombination({ current: freed, others, confirmedNoRefund: true, resultId });
    if (!plan.ok) return plan;
    const combined: Certificate = {
      id: resultId,
      name: plan.value.name,
      spec: plan.value.spec,
      validityYears: plan.value.validityYears,
      domainQuota: plan.value.domainQuota,
      state: 'pending_application',
      source: 'combined',
      domains: [],
      team: cert.team,
      ...(cert.ownerUserId ? { ownerUserId: cert.ownerUserId } : {}),
      hosted: false,
      combinedFrom: plan.value.sourceIds,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    // A credit held by a combined instance (a validation that failed) goes back to the team.
    const merged = [cert, ...others].map((source) => {
      const credit = creditMoveOnRelease(source);
      const after = markCredit(releaseInstance(source), credit);
      return {
        before: source,
        after: { ...after, state: 'merged' as const, mergedInto: resultId },
        credit,
      };
    });
    write = (tx) => {
      tx.updateApplication(app, done, note);
      for (const { before, after, credit } of merged) {
        tx.updateCertificate(before, after, { ...note, action: 'merge' });
        writeCreditMove(tx, before, credit, { ...note, action: 'merge' });
      }
      tx.createCertificate(combined, { ...note, action: 'combine' });
    };
    publish = () =>
      ctx.events.publish({
        type: 'instances_combined',
        application: asUpdated(app, done, now),
        combined: asCreated(combined, now),
        sources: merged.map(({ before, after }) => asUpdated(before, after, now)),
      });
  }

  const result = await ctx.store.commit(write);
  if (!result.ok) return explainConflict(ctx, app, result.conflict);
  await publish();
  return ok({ application: asUpdated(app, done, now) });
}

/** The certificate's CA sells renewals of the order it was issued on. */
function renewsAtCa(ctx: UseCaseContext, cert: Certificate): boolean {
  return cert.caOrderId !== undefined && ctx.ca.providerFor(cert).renew !== undefined;
}

/** Approve first (exactly one approval wins), then the winner alone buys the renewal. */
async function approveAndRenewAtCa(
  ctx: UseCaseContext,
  app: Application,
  approved: Application,
  note: AuditNote,
): Promise<Result<DecisionOutcome>> {
  const result = await ctx.store.commit((tx) => tx.updateApplication(app, approved, note));
  if (!result.ok) return explainConflict(ctx, app, result.conflict);
  return purchaseRenewalAtCa(ctx, app.id, note.actor);
}

/**
 * Whether every renewal call recorded in these ledgers was answered with a refusal: a call
 * without one may have bought the renewal, so none is made again.
 */
export function renewalCallsSettled(...ledgers: ReadonlyArray<Readonly<Record<string, unknown>>>) {
  return ledgers.every((ledger) => {
    const entries = Object.keys(ledger);
    const calls = entries.filter((e) => RENEWAL_CALL.test(e)).length;
    return calls === entries.filter((e) => RENEWAL_REFUSED.test(e)).length;
  });
}

/**
 * Buys an approved renewal purchase at the certificate's CA (Alibaba Cloud CAS:
 * RenewCertificateOrderForPackageRequest), once: the call is claimed in the ledger before it is
 * made, so a double click, a retry or a second worker never buys twice. The new order goes on
 * the renewal instance (pending application), whose application is then submitted on that
 * order. Also the retry path (the CA poll job): a CA error changes nothing but the error clock;
 * the first is told to the requester and support, one that persists is escalated again, once.
 * A call the CA never answered is not repeated, as it may have bought the renewal.
 */
export async function purchaseRenewalAtCa(
  ctx: UseCaseContext,
  applicationId: string,
  actor: string,
): Promise<Result<DecisionOutcome>> {
  const loaded = await approvedApplication(ctx, applicationId, 'renewal_purchase');
  if (!loaded.ok) return loaded;
  const { app, cert } = loaded.value;
  const provider = ctx.ca.providerFor(cert);
  if (!provider.renew || !cert.caOrderId)
    return refuse('renewal.not_at_ca', { id: cert.id, provider: provider.name });
  // Claimed per certificate and notAfter; calls recorded per request (before this ledger
  // existed) count too.
  const subject = renewalOrderLedger(cert);
  const [own, legacy] = await Promise.all([
    ctx.store.ledger.entries(subject),
    ctx.store.ledger.entries(caLedger(app.id)),
  ]);
  if (!renewalCallsSettled(own, legacy))
    return refuse('renewal.unsettled', { id: app.id, provider: provider.name });
  const calls = Object.keys(own).filter((e) => RENEWAL_CALL.test(e)).length;
  const call = `renewal-order:${calls + 1}`;
  const claimedAt = ctx.clock.now().getTime();
  const claimed = await ctx.store.commit((tx) =>
    tx.recordSent(subject, call, {
      actor,
      at: claimedAt,
      action: 'ca_renew',
      reason: `renews CA order ${cert.caOrderId}`,
    }),
  );
  if (!claimed.ok) return refuse('renewal.unsettled', { id: app.id, provider: provider.name });

  let orderId: string;
  try {
    ({ orderId } = await provider.renew(cert.caOrderId));
  } catch (error) {
    const caError = error instanceof CaError ? error : undefined;
    const unknown = !caError || caError.outcomeUnknown;
    const message = unknown
      ? `${caError?.message ?? 'the CA could not be reached'}. It may have bought the renewal all the same, so CertOps will not ask again: look for a new order of ${cert.spec.brand} pending application in the CA's console`
      : caError.message;
    return caCallFailed(
      ctx,
      { app, cert, actor, message },
      unknown ? [] : [`${call}:refused`],
      subject,
    );
  }

  const now = ctx.clock.now().getTime();
  const { caErrorSince: _answered, ...rest } = app;
  const done: Application = { ...rest, status: 'completed' };
  const renewalId = ctx.ids.next('cert');
  // Linked: one renewal at a time (a second Renew points to this one). It overcomes a failed
  // managed renewal (support's case closes).
  const original: Certificate = withoutRenewalFailure({ ...releaseInstance(cert), renewalId });
  const renewal: Certificate = {
    ...renewalInstance(cert, {
      id: renewalId,
      state: 'pending_application',
      domains: cert.domains,
      ...(app.contactId ? { contactId: app.contactId } : {}),
      at: now,
    }),
    caOrderId: orderId,
  };
  const note: AuditNote = {
    actor,
    at: now,
    action: 'purchase_renewal',
    reason: `CA order ${orderId} renews CA order ${cert.caOrderId}`,
  };
  const result = await ctx.store.commit((tx) => {
    tx.updateApplication(app, done, note);
    tx.updateCertificate(cert, original, note);
    tx.createCertificate(renewal, note);
  });
  if (!result.ok) {
    // Bought but not recorded (withdrawn meanwhile?): support must know of the order.
    await ctx.events.publish({
      type: 'ca_submission_failed',
      application: app,
      certificate: cert,
      error: `the CA sold renewal order ${orderId}, but CertOps could not record it (${result.conflict.kind}): import it with npm run sync-alibaba-cas`,
    });
    return conflictRefusal(result.conflict);
  }
  const stored = asUpdated(app, done, now);
  await ctx.events.publish({
    type: 'renewal_purchased',
    application: stored,
    certificate: asUpdated(cert, original, now),
    renewal: asCreated(renewal, now),
  });
  await dispatchCaseClosed(ctx, cert, 'renewal_purchase_approved', app.decidedBy);
  return ok({ application: stored });
}

/** An approved application of this kind and its certificate: what a CA call starts from. */
async function approvedApplication(
  ctx: UseCaseContext,
  applicationId: string,
  kind: 'apply' | 'renewal_purchase',
): Promise<Result<{ app: Application; cert: Certificate }>> {
  const app = await ctx.store.applications.get(applicationId);
  if (!app) return refuse('application.not_found', { id: applicationId });
  if (app.status !== 'approved' || app.kind !== kind) {
    const params = { id: app.id, status: app.status };
    return kind === 'apply'
      ? refuse('submit.not_approved', params)
      : refuse('renewal.not_approved', params);
  }
  const cert = await ctx.store.certificates.get(app.certificateId);
  if (!cert) return refuse('certificate.not_found', { id: app.certificateId });
  return ok({ app, cert });
}

/** Ledger entry: the CA's submission failed in a way that must not be retried by itself. */
export const SUBMIT_STOPPED = 'submit-stopped';

/**
 * The CA did not take a call (a submission, a renewal purchase): the application stays
 * approved. The first error starts the error clock and reaches the requester and support; one
 * still there after CA_ERROR_ESCALATE_AFTER_MS is escalated once more. `entries` go to the CA
 * ledger with the error (what retries must know).
 */
async function caCallFailed(
  ctx: UseCaseContext,
  failure: {
    readonly app: Application;
    readonly cert: Certificate;
    readonly actor: string;
    readonly message: string;
    readonly refused?: boolean;
    /** A managed renewal: its hosted certificate, and the failure it is to show. */
    readonly original?: Certificate;
    readonly failure?: RenewalFailure;
  },
  entries: readonly string[],
  subject: string = caLedger(failure.app.id),
): Promise<Result<DecisionOutcome>> {
  const { app, cert, actor, message, original } = failure;
  const at = ctx.clock.now().getTime();
  const note: AuditNote = { actor, at, action: 'ca_error', reason: message };
  const first = app.caErrorSince === undefined;
  const current = first ? { ...app, caErrorSince: at } : app;
  const write = (tx: Transaction) => {
    for (const entry of entries) tx.recordSent(subject, entry, note);
    if (first) tx.updateApplication(app, current, note);
  };
  // Shown once per kind of failure (a retry failing the same way changes nothing).
  const shown =
    original && failure.failure && original.renewalFailure?.kind !== failure.failure.kind
      ? { ...original, renewalFailure: failure.failure }
      : undefined;
  let noted = await ctx.store.commit((tx) => {
    write(tx);
    if (original && shown)
      tx.updateCertificate(original, shown, { ...note, action: 'renewal_activation_failed' });
  });
  // The certificate changed meanwhile: the error clock and the ledger matter more (retries).
  if (!noted.ok && shown) noted = await ctx.store.commit(write);
  const stored = noted.ok && first ? asUpdated(app, current, at) : app;
  let tell = first;
  if (!first && at - (app.caErrorSince ?? at) >= CA_ERROR_ESCALATE_AFTER_MS) {
    const escalated = await ctx.store.commit((tx) =>
      tx.recordSent(caLedger(app.id), 'error-escalated', {
        ...note,
        action: 'ca_error_escalated',
      }),
    );
    tell = escalated.ok;
  }
  if (tell)
    await ctx.events.publish({
      type: 'ca_submission_failed',
      application: stored,
      certificate: cert,
      error: message,
    });
  return ok({
    application: stored,
    caError: message,
    ...(failure.refused ? { caRefused: true } : {}),
  });
}
