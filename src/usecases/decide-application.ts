import { CaError, type DomainChallenge } from '../ca/ports.js';
import { type Application, checkDecider, nextApplicationStatus } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import { planCombination } from '../domain/combine.js';
import { renewalInstance } from '../domain/renewal.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { reviewSla } from '../domain/sla.js';
import { nextState } from '../domain/states.js';
import type { UseCaseContext } from './context.js';
import { type AuditNote, asCreated, asUpdated, type Transaction } from './ports.js';
import { conflictRefusal } from './refusals.js';

/** The ledger subject of what was sent about an application's CA order. */
export const caLedger = (applicationId: string) => `ca:${applicationId}`;

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

  if (input.decision === 'reject') {
    const freed = releaseInstance(cert);
    // A combination held its other instances too: they are free again.
    const held = (await ctx.store.certificates.getMany(app.combineWith ?? [])).filter(
      (c) => c.openApplicationId === app.id,
    );
    const result = await ctx.store.commit((tx) => {
      tx.updateApplication(app, decidedApp, note);
      tx.updateCertificate(cert, freed, note);
      for (const other of held) tx.updateCertificate(other, releaseInstance(other), note);
      if (app.hosting)
        tx.refundHostingCredit(app.team, { ...note, reason: `application ${app.id} rejected` });
    });
    if (!result.ok) return explainConflict(ctx, app, result.conflict);
    const stored = asUpdated(app, decidedApp, now);
    await ctx.events.publish({
      type: 'application_decided',
      application: stored,
      certificate: asUpdated(cert, freed, now),
      decision: 'rejected',
    });
    return ok({ application: stored });
  }

  if (app.kind === 'apply') return approveAndSubmit(ctx, app, decidedApp, cert, note);
  return approveAndCarryOut(ctx, app, decidedApp, cert, note);
}

/** The instance is free for the next request. */
function releaseInstance(cert: Certificate): Certificate {
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

/** Approve first (exactly one approval wins), then the winner alone talks to the CA. */
async function approveAndSubmit(
  ctx: UseCaseContext,
  app: Application,
  approved: Application,
  cert: Certificate,
  note: AuditNote,
): Promise<Result<DecisionOutcome>> {
  const result = await ctx.store.commit((tx) => tx.updateApplication(app, approved, note));
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
 * Hands an approved application to its CA. Also the retry path: an application the CA could
 * not take stays `approved` and can be submitted again later. A CA failure changes nothing.
 */
export async function submitToCa(
  ctx: UseCaseContext,
  applicationId: string,
  actor: string,
): Promise<Result<DecisionOutcome>> {
  const app = await ctx.store.applications.get(applicationId);
  if (!app) return refuse('application.not_found', { id: applicationId });
  if (app.status !== 'approved' || app.kind !== 'apply')
    return refuse('submit.not_approved', { id: app.id, status: app.status });
  const cert = await ctx.store.certificates.get(app.certificateId);
  if (!cert) return refuse('certificate.not_found', { id: app.certificateId });
  // A hosted certificate's renewal is activated rather than submitted (未激活 -> 审核中).
  const toReview = nextState(cert.state, cert.state === 'not_activated' ? 'activate' : 'submit');
  if (!toReview.ok) return toReview;
  const contact = app.contactId ? await ctx.store.contacts.get(app.contactId) : undefined;
  let orderId: string;
  let challenges: readonly DomainChallenge[] = [];
  try {
    ({ orderId, challenges = [] } = await ctx.ca
      .providerFor(cert)
      .submit({ application: app, certificate: cert, ...(contact ? { contact } : {}) }));
  } catch (error) {
    const message = error instanceof CaError ? error.message : 'the CA could not be reached';
    await ctx.events.publish({
      type: 'ca_submission_failed',
      application: app,
      certificate: cert,
      error: message,
    });
    return ok({ application: app, caError: message });
  }
  const submittedAt = ctx.clock.now();
  const sla = reviewSla(cert.spec.validationType, submittedAt, ctx.calendar);
  const submitted: Application = { ...app, status: 'submitted', ...(sla ? { sla } : {}) };
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
  const result = await ctx.store.commit((tx) => {
    tx.updateApplication(app, submitted, note);
    tx.updateCertificate(cert, underReview, note);
    // The requester hears about the records once, now; a later poll will not repeat them.
    if (challenges.length > 0)
      tx.recordSent(caLedger(app.id), 'challenges', { ...note, action: 'ca_challenges' });
  });
  if (!result.ok) return conflictRefusal(result.conflict);
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
  });
  return ok({ application: stored });
}

/** Hosting, renewal purchases and combinations have no CA step here: approval carries them out. */
async function approveAndCarryOut(
  ctx: UseCaseContext,
  app: Application,
  approved: Application,
  cert: Certificate,
  note: AuditNote,
): Promise<Result<DecisionOutcome>> {
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
    const original: Certificate =
      app.kind === 'enable_hosting'
        ? {
            ...freed,
            hosted: true,
            renewalId: renewal.id,
            ...(app.contactId ? { contactId: app.contactId } : {}),
          }
        : freed;
    write = (tx) => {
      tx.updateApplication(app, done, note);
      tx.updateCertificate(cert, original, note);
      tx.createCertificate(renewal, {
        ...note,
        action: app.kind === 'enable_hosting' ? 'create_hosted_renewal' : 'purchase_renewal',
      });
    };
    publish = () =>
      ctx.events.publish({
        type: app.kind === 'enable_hosting' ? 'hosting_enabled' : 'renewal_purchased',
        application: asUpdated(app, done, now),
        certificate: asUpdated(cert, original, now),
        renewal: asCreated(renewal, now),
      });
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
    const merged = [cert, ...others].map((source) => ({
      before: source,
      after: { ...releaseInstance(source), state: 'merged' as const, mergedInto: resultId },
    }));
    write = (tx) => {
      tx.updateApplication(app, done, note);
      for (const { before, after } of merged)
        tx.updateCertificate(before, after, { ...note, action: 'merge' });
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
