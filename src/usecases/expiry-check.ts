import pMap from 'p-map';
import { type Application, nextApplicationStatus } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import { type ExpiryDue, expiryDue } from '../domain/expiry-ladder.js';
import { RENEWAL_WINDOW_DAYS } from '../domain/renewal.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { nextState } from '../domain/states.js';
import type { UseCaseContext } from './context.js';
import { type DecisionOutcome, submitToCa } from './decide-application.js';
import type { KeyedMessage, OutboundMessage } from './ports/index.js';
import { asUpdated, type Transaction } from './ports/index.js';
import { conflictRefusal } from './refusals.js';
import { managedOriginal } from './renewal-failure.js';

const DAY_MS = 86_400_000;
/** Expired certificates are escalated once; after this long they are no longer looked at. */
export const EXPIRED_LOOKBACK_DAYS = 30;
/** Certificates read per round trip. */
export const EXPIRY_PAGE = 500;
/** Certificates worked on at once within a page. */
export const EXPIRY_CONCURRENCY = 16;
/** Who the clocks act as, in the audit log. */
export const SYSTEM_ACTOR = 'certops';

export interface ExpiryCheckSummary {
  readonly examined: number;
  readonly reminders: number;
  readonly activations: number;
  readonly expired: number;
  readonly failures: number;
}

const ledgerSubject = (cert: Certificate) => `expiry:${cert.id}:${cert.notAfter}`;

/**
 * The daily expiry check (30 natural days). Reads only the certificates whose notAfter lies in
 * the window (the store's sorted index), so its cost grows with the number in the window, not
 * with the total. Hosted ones activate their renewal; the others are reminded at the
 * configured thresholds; expired ones are reported and escalated. The ledger, keyed by
 * certificate and notAfter (a renewed certificate starts a new ladder), makes every step
 * happen once per cause, whatever re-runs, retries or workers do.
 */
export async function runExpiryCheck(
  ctx: UseCaseContext,
  thresholds: readonly number[],
): Promise<ExpiryCheckSummary> {
  const now = ctx.clock.now();
  const horizonDays = Math.max(RENEWAL_WINDOW_DAYS, ...thresholds) + 1;
  const from = now.getTime() - EXPIRED_LOOKBACK_DAYS * DAY_MS;
  const to = now.getTime() + horizonDays * DAY_MS;
  const summary = { examined: 0, reminders: 0, activations: 0, expired: 0, failures: 0 };
  for (let offset = 0; ; offset += EXPIRY_PAGE) {
    const ids = await ctx.store.certificates.idsExpiringBetween(from, to, {
      offset,
      limit: EXPIRY_PAGE,
    });
    if (ids.length === 0) break;
    const certs = await ctx.store.certificates.getMany(ids);
    const ledgers = await ctx.store.ledger.entriesOfMany(certs.map(ledgerSubject));
    const toRecord: LedgerRecord[] = [];
    const toDispatch: KeyedMessage[] = [];
    // Certificates are independent of each other: work on several at once, so the round trips
    // of one overlap with the others' (one connection pipelines them).
    await pMap(
      certs,
      async (cert, i) => {
        summary.examined++;
        const sent = ledgers[i] ?? {};
        const due = expiryDue(cert, now, ctx.policy.timeZone, thresholds, lastThresholdSent(sent));
        const outcome = await act(ctx, cert, due, sent, { toRecord, toDispatch });
        if (outcome === 'failed') summary.failures++;
        else if (outcome !== 'none') summary[outcome]++;
      },
      { concurrency: EXPIRY_CONCURRENCY },
    );
    // Dispatched before recorded: a crash in between resends under the same keys, which
    // dispatch ignores; recorded first, a crash would lose the messages.
    await ctx.dispatcher.dispatchAll(toDispatch);
    await recordAll(ctx, toRecord);
    if (ids.length < EXPIRY_PAGE) break;
  }
  return summary;
}

function lastThresholdSent(sent: Readonly<Record<string, number>>): number | undefined {
  const thresholds = Object.keys(sent)
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
  return thresholds.length === 0 ? undefined : Math.min(...thresholds);
}

type Outcome = 'none' | 'reminders' | 'activations' | 'expired' | 'failed';

/** A ledger entry for what was just dispatched, written with the page's others. */
interface LedgerRecord {
  readonly subject: string;
  readonly entry: string;
  readonly action: string;
  readonly certificateId: string;
  readonly at: number;
}

/**
 * Writes a page's ledger entries in one change instead of one each (3,000 reminders: 6 round
 * trips instead of 3,000). Messages were dispatched first, so a crash in between resends them
 * under the same delivery keys (dispatch is at most once per key), as before. If another run
 * recorded one of them meanwhile, the change is refused as a whole: then each is written on its
 * own, and the ones already there stay as they are.
 */
async function recordAll(ctx: UseCaseContext, records: readonly LedgerRecord[]): Promise<void> {
  if (records.length === 0) return;
  const write = (r: LedgerRecord) => (tx: Transaction) =>
    tx.recordSent(r.subject, r.entry, {
      actor: SYSTEM_ACTOR,
      at: r.at,
      action: r.action,
      reason: r.certificateId,
    });
  const all = await ctx.store.commit((tx) => {
    for (const r of records) write(r)(tx);
  });
  if (all.ok) return;
  await pMap(records, (r) => ctx.store.commit(write(r)), { concurrency: EXPIRY_CONCURRENCY });
}

async function act(
  ctx: UseCaseContext,
  cert: Certificate,
  due: ExpiryDue,
  sent: Readonly<Record<string, number>>,
  page: { readonly toRecord: LedgerRecord[]; readonly toDispatch: KeyedMessage[] },
): Promise<Outcome> {
  const subject = ledgerSubject(cert);
  const key = (entry: string) => `${subject}:${entry}`;
  // Reminders and expiry notices go out with the page's others (see runExpiryCheck).
  const send = (message: OutboundMessage, entry: string) =>
    page.toDispatch.push({ message, key: key(entry) });
  const later = (entry: string, action: string) => {
    page.toRecord.push({
      subject,
      entry,
      action,
      certificateId: cert.id,
      at: ctx.clock.now().getTime(),
    });
  };
  const record = (entry: string, action: string) =>
    ctx.store.commit((tx) =>
      tx.recordSent(subject, entry, {
        actor: SYSTEM_ACTOR,
        at: ctx.clock.now().getTime(),
        action,
        reason: cert.id,
      }),
    );
  const notAfter = cert.notAfter ?? 0;
  const owner = cert.ownerUserId ?? '';

  switch (due.kind) {
    case 'none':
      return 'none';
    case 'reminder': {
      send(
        {
          kind: 'expiry_reminder',
          userId: owner,
          certificateId: cert.id,
          threshold: due.threshold,
          daysLeft: due.daysLeft,
          notAfter,
        },
        String(due.threshold),
      );
      later(String(due.threshold), 'expiry_reminder');
      return 'reminders';
    }
    case 'expired': {
      if (sent.expired !== undefined) return 'none';
      send({ kind: 'expired', userId: owner, certificateId: cert.id, notAfter }, 'expired-owner');
      send(
        {
          kind: 'escalation',
          cause: 'expired',
          certificateId: cert.id,
          ...(owner ? { requesterId: owner } : {}),
        },
        'expired-support',
      );
      later('expired', 'expired_escalated');
      return 'expired';
    }
    case 'activate_renewal': {
      if (sent.activated !== undefined) return 'none';
      const activated = await activateHostedRenewal(ctx, cert);
      if (!activated.ok) {
        const refused = activated.refusal.code === 'renew.hosting_refused';
        await ctx.dispatcher.dispatch(
          {
            kind: 'escalation',
            cause: 'renewal_failed',
            certificateId: cert.id,
            ...(owner ? { requesterId: owner } : {}),
            // The CA's own words when it answered; the failure's code otherwise.
            detail: String(activated.refusal.params?.error ?? activated.refusal.code),
          },
          key('activation-failed'),
        );
        // Refused for good: no longer hosted, so the ladder resumes (nothing recorded). Else the
        // CA poll retries the submission, and this ladder is done.
        if (!refused) await record('activated', 'renewal_activation_failed');
        return 'failed';
      }
      if (activated.value.alreadyActivated) return 'none';
      await ctx.dispatcher.dispatch(
        {
          kind: 'renewal_activated',
          userId: owner,
          certificateId: cert.id,
          renewalId: due.renewalId,
        },
        key('activated'),
      );
      await record('activated', 'renewal_activated');
      return 'activations';
    }
  }
}

/**
 * 托管: a hosted certificate in the window has its linked renewal activated and submitted to
 * the CA, pre-approved (hosting was approved when it was enabled). One application per renewal:
 * a second worker's attempt meets the first one's change and stops. A CA failure leaves the
 * renewal's application approved, to be submitted again, and is reported as a failure.
 */
export async function activateHostedRenewal(
  ctx: UseCaseContext,
  original: Certificate,
): Promise<Result<{ application: Application; alreadyActivated: boolean }>> {
  if (!original.hosted || !original.renewalId)
    return refuse('renew.not_hosted', { id: original.id });
  const renewal = await ctx.store.certificates.get(original.renewalId);
  if (!renewal) return refuse('certificate.not_found', { id: original.renewalId });
  if (renewal.state !== 'not_activated' || renewal.openApplicationId) {
    const pending = renewal.openApplicationId
      ? await ctx.store.applications.get(renewal.openApplicationId)
      : undefined;
    return pending
      ? ok({ application: pending, alreadyActivated: true })
      : refuse('transition.not_allowed', { from: renewal.state, event: 'activate' });
  }
  const at = ctx.clock.now().getTime();
  const contactId = renewal.contactId ?? original.contactId;
  const application: Application = {
    id: ctx.ids.next('app'),
    kind: 'apply',
    certificateId: renewal.id,
    requesterId: original.ownerUserId ?? SYSTEM_ACTOR,
    team: original.team,
    status: 'approved',
    domains: original.domains,
    validationMethod: 'dns',
    ...(contactId ? { contactId } : {}),
    hosting: false,
    decidedBy: SYSTEM_ACTOR,
    decidedAt: at,
    decisionReason: `managed renewal of ${original.id}`,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  const held: Certificate = { ...renewal, openApplicationId: application.id };
  const note = {
    actor: SYSTEM_ACTOR,
    at,
    action: 'activate_renewal',
    reason: `managed renewal of ${original.id}`,
  };
  const result = await ctx.store.commit((tx) => {
    tx.createApplication(application, note);
    tx.updateCertificate(renewal, held, note);
  });
  if (!result.ok) {
    // Another worker activated it a moment ago: that is its job, not a failure.
    const now = await ctx.store.certificates.get(renewal.id);
    const pending = now?.openApplicationId
      ? await ctx.store.applications.get(now.openApplicationId)
      : undefined;
    return pending
      ? ok({ application: pending, alreadyActivated: true })
      : conflictRefusal(result.conflict);
  }
  const submitted = await submitToCa(ctx, application.id, SYSTEM_ACTOR);
  if (!submitted.ok) return submitted;
  const { caError, caRefused } = submitted.value;
  if (caError && caRefused)
    return fallBackFromHosting(
      ctx,
      original,
      asUpdated(renewal, held, at),
      submitted.value.application,
      caError,
    );
  if (caError) return refuse('renew.activation_failed', { id: renewal.id, error: caError });
  return ok({ application: submitted.value.application, alreadyActivated: false });
}

/**
 * The CA poll submitted a managed renewal again (it failed for a passing reason before) and the
 * CA refused it for good this time: the same fallback as on the day of activation, so this is
 * no dead end either, and support's case gets the CA's reason, once.
 */
export async function fallBackAfterRetry(
  ctx: UseCaseContext,
  outcome: DecisionOutcome,
): Promise<void> {
  if (!outcome.caRefused || outcome.caError === undefined) return;
  const renewal = await ctx.store.certificates.get(outcome.application.certificateId);
  const original = renewal && (await managedOriginal(ctx, renewal));
  if (!renewal || !original) return;
  await fallBackFromHosting(ctx, original, renewal, outcome.application, outcome.caError);
  const owner = original.ownerUserId;
  await ctx.dispatcher.dispatch(
    {
      kind: 'escalation',
      cause: 'renewal_failed',
      certificateId: original.id,
      ...(owner ? { requesterId: owner } : {}),
      detail: outcome.caError,
    },
    `${ledgerSubject(original)}:activation-refused`,
  );
}

/**
 * The CA refused the managed renewal for good (e.g. the product is no longer sold): no dead end.
 * The renewal is cancelled and its application withdrawn, and the certificate is no longer
 * hosted, so it may do what an unhosted certificate may (Renew offers the renewal purchase) and
 * the expiry ladder resumes for it; it shows the failure until a renewal purchase is approved.
 * The refusal names the CA's reason for support's case.
 */
async function fallBackFromHosting(
  ctx: UseCaseContext,
  original: Certificate,
  renewal: Certificate,
  application: Application,
  caError: string,
): Promise<Result<never>> {
  const at = ctx.clock.now().getTime();
  const note = { actor: SYSTEM_ACTOR, at, action: 'hosting_refused', reason: caError };
  const withdrawn = nextApplicationStatus(application.status, 'withdraw');
  const cancelled = nextState(renewal.state, 'cancel');
  if (withdrawn.ok && cancelled.ok) {
    const { openApplicationId: _held, ...free } = renewal;
    const { renewalId: _renewal, ...unlinked } = original;
    const done = await ctx.store.commit((tx) => {
      tx.updateApplication(
        application,
        { ...application, status: withdrawn.value, decisionReason: `the CA refused: ${caError}` },
        note,
      );
      tx.updateCertificate(renewal, { ...free, state: cancelled.value }, note);
      tx.updateCertificate(
        original,
        { ...unlinked, hosted: false, renewalFailure: { kind: 'refused', at, reason: caError } },
        note,
      );
    });
    // Changed meanwhile (a person acted on it): support's case says what the CA answered.
    if (!done.ok) return refuse('renew.activation_failed', { id: renewal.id, error: caError });
  }
  return refuse('renew.hosting_refused', { id: original.id, error: caError });
}
