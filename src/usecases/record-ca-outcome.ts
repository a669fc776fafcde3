import { type Application, nextApplicationStatus } from '../domain/application.js';
import { type Certificate, withoutRenewalFailure } from '../domain/certificate.js';
import { certificateNames, MAX_LIFETIME_DAYS } from '../domain/certificate-facts.js';
import { certificateCovers } from '../domain/domain-names.js';
import { creditMoveOnIssue } from '../domain/hosting.js';
import { canRecordCaOutcomes } from '../domain/permissions.js';
import { renewalInstance } from '../domain/renewal.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { nextState } from '../domain/states.js';
import { parseCertificatePem } from '../x509/parse-certificate-pem.js';
import type { UseCaseContext } from './context.js';
import { markCredit, writeCreditMove } from './hosting-credits.js';
import { type AuditNote, asCreated, asUpdated } from './ports/index.js';
import { conflictRefusal } from './refusals.js';
import { dispatchCaseClosed } from './renewal-failure.js';

const DAY_MS = 86_400_000;

export interface OutcomeContext {
  readonly applicationId: string;
  readonly actor: string;
  /** Who reports it: a person in Slack (approvers, admins) or the CA through its provider. */
  readonly source?: 'person' | 'ca';
}

export interface IssuedOutcome {
  readonly application: Application;
  readonly certificate: Certificate;
  readonly renewal?: Certificate;
  readonly replaced?: Certificate;
}

async function load(ctx: UseCaseContext, input: OutcomeContext) {
  // What the CA itself reports (ACME, polling) needs no person's permission.
  if (input.source !== 'ca' && !canRecordCaOutcomes(ctx.policy, input.actor)) {
    return refuse('outcome.not_allowed', { user: input.actor });
  }
  const app = await ctx.store.applications.get(input.applicationId);
  if (!app) return refuse('application.not_found', { id: input.applicationId });
  if (app.status !== 'submitted')
    return refuse('outcome.not_under_review', { id: app.id, status: app.status });
  const cert = await ctx.store.certificates.get(app.certificateId);
  if (!cert) return refuse('certificate.not_found', { id: app.certificateId });
  return ok({ app, cert });
}

/**
 * The CA issued the certificate: the PEM is checked against the application (its names cover
 * every bound domain, its validity is sensible) before the instance becomes `issued`. A hosted
 * application gets its linked renewal (`not_activated`); an issued renewal replaces the original.
 */
export async function recordIssued(
  ctx: UseCaseContext,
  input: OutcomeContext & { pem: string },
): Promise<Result<IssuedOutcome>> {
  const loaded = await load(ctx, input);
  if (!loaded.ok) return loaded;
  const { app, cert } = loaded.value;
  const now = ctx.clock.now();
  const parsed = parseCertificatePem(input.pem, { now });
  if (!parsed.ok) return parsed;
  const { leaf } = parsed.value;
  const names = certificateNames(leaf.dnsNames, leaf.subjectCommonName);
  const missing = app.domains.filter((domain) => !certificateCovers(names, domain));
  if (missing.length > 0)
    return refuse('outcome.domains_not_covered', {
      domains: missing.slice(0, 5).join(', '),
      count: missing.length,
    });
  const lifetimeDays = (leaf.notAfter.getTime() - leaf.notBefore.getTime()) / DAY_MS;
  if (lifetimeDays > MAX_LIFETIME_DAYS)
    return refuse('outcome.lifetime_too_long', {
      days: Math.round(lifetimeDays),
      max: MAX_LIFETIME_DAYS,
    });
  if (leaf.notBefore.getTime() > now.getTime() + DAY_MS)
    return refuse('outcome.not_yet_valid', { notBefore: leaf.notBefore.toISOString() });
  const issued = nextState(cert.state, 'issue');
  if (!issued.ok) return issued;
  const appIssued = nextApplicationStatus(app.status, 'issue');
  if (!appIssued.ok) return appIssued;

  const at = now.getTime();
  const note: AuditNote = {
    actor: input.actor,
    at,
    action: 'issue',
    reason: `serial ${leaf.serialNumber}`,
  };
  const renewal = app.hosting
    ? renewalInstance(cert, {
        id: ctx.ids.next('cert'),
        state: 'not_activated',
        domains: app.domains,
        ...(app.contactId ? { contactId: app.contactId } : {}),
        at,
      })
    : undefined;
  const { openApplicationId: _done, ...rest } = cert;
  // A hosting credit held since the approval is spent now.
  const credit = creditMoveOnIssue(cert);
  const issuedCert: Certificate = {
    ...markCredit(rest, credit),
    state: issued.value,
    domains: app.domains,
    // Whoever applied looks after it: expiry reminders go to them.
    ownerUserId: cert.ownerUserId ?? app.requesterId,
    notBefore: leaf.notBefore.getTime(),
    notAfter: leaf.notAfter.getTime(),
    issuer: leaf.issuer,
    serialNumber: leaf.serialNumber,
    fingerprintSha256: leaf.fingerprintSha256,
    keyType: leaf.keyType,
    hosted: app.hosting,
    ...(renewal ? { renewalId: renewal.id } : {}),
  };
  // An issued renewal takes its original's place. Hosting was one use of the service and is now
  // spent: the new certificate is hosted only if its own application asked for it.
  const original = cert.renewalOf ? await ctx.store.certificates.get(cert.renewalOf) : undefined;
  const replaceable = original && nextState(original.state, 'replace').ok ? original : undefined;
  // A failed managed renewal of the original is over: its renewal is issued.
  const replacedCert: Certificate | undefined = replaceable
    ? withoutRenewalFailure({ ...replaceable, state: 'replaced' })
    : undefined;
  const finalCert = issuedCert;

  const result = await ctx.store.commit((tx) => {
    tx.updateApplication(app, { ...app, status: appIssued.value }, note);
    tx.updateCertificate(cert, finalCert, note);
    writeCreditMove(tx, cert, credit, note);
    if (renewal) tx.createCertificate(renewal, { ...note, action: 'create_hosted_renewal' });
    if (replaceable && replacedCert)
      tx.updateCertificate(replaceable, replacedCert, {
        ...note,
        action: 'replace',
        reason: `renewed by ${cert.id}`,
      });
  });
  if (!result.ok) return conflictRefusal(result.conflict);
  const outcome: IssuedOutcome = {
    application: asUpdated(app, { ...app, status: appIssued.value }, at),
    certificate: asUpdated(cert, finalCert, at),
    ...(renewal ? { renewal: asCreated(renewal, at) } : {}),
    ...(replaceable && replacedCert ? { replaced: asUpdated(replaceable, replacedCert, at) } : {}),
  };
  await ctx.events.publish({
    type: 'certificate_issued',
    application: outcome.application,
    certificate: outcome.certificate,
  });
  if (replaceable) await dispatchCaseClosed(ctx, replaceable, 'renewal_issued');
  return ok(outcome);
}

/** Longest CA reason kept. */
export const MAX_CA_REASON_LENGTH = 1000;

/** 审核失败: the instance can be applied for again; the requester is told and support is called in. */
export async function recordValidationFailed(
  ctx: UseCaseContext,
  input: OutcomeContext & { reason: string },
): Promise<Result<{ application: Application; certificate: Certificate }>> {
  const reason = input.reason.trim();
  if (!reason) return refuse('decision.reason_required');
  if (reason.length > MAX_CA_REASON_LENGTH)
    return refuse('decision.reason_too_long', { max: MAX_CA_REASON_LENGTH });
  const loaded = await load(ctx, input);
  if (!loaded.ok) return loaded;
  const { app, cert } = loaded.value;
  const failed = nextState(cert.state, 'fail_validation');
  if (!failed.ok) return failed;
  const appFailed = nextApplicationStatus(app.status, 'fail_validation');
  if (!appFailed.ok) return appFailed;
  const at = ctx.clock.now().getTime();
  const note: AuditNote = { actor: input.actor, at, action: 'fail_validation', reason };
  const { openApplicationId: _done, ...rest } = cert;
  const failedCert: Certificate = { ...rest, state: failed.value };
  const failedApp: Application = { ...app, status: appFailed.value, decisionReason: reason };
  const result = await ctx.store.commit((tx) => {
    tx.updateApplication(app, failedApp, note);
    tx.updateCertificate(cert, failedCert, note);
  });
  if (!result.ok) return conflictRefusal(result.conflict);
  const outcome = {
    application: asUpdated(app, failedApp, at),
    certificate: asUpdated(cert, failedCert, at),
  };
  await ctx.events.publish({ type: 'validation_failed', ...outcome, reason });
  return ok(outcome);
}
