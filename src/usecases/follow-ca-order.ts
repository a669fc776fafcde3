import { CaError, type CaOrderState } from '../ca/ports.js';
import { ok, type Result, refuse } from '../domain/result.js';
import type { UseCaseContext } from './context.js';
import { SYSTEM_ACTOR } from './expiry-check.js';
import { recordIssued, recordValidationFailed } from './record-ca-outcome.js';

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
 * waiting. `verify` (ACME: the requester clicked Verify) lets the provider check the DNS
 * records itself and ask the CA to validate. A CA error changes nothing and is returned.
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
    default:
      return ok({ kind: 'waiting', state });
  }
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
