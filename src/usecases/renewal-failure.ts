import type { Certificate, RenewalFailure } from '../domain/certificate.js';
import type { UseCaseContext } from './context.js';
import type { CaseClosedCause } from './ports/index.js';

/** The dispatch key of a failure's closing: one message per failure, whatever runs again. */
export const caseClosedKey = (certificateId: string, failure: RenewalFailure): string =>
  `renewal-failure:${certificateId}:${failure.at}:closed`;

/**
 * The hosted certificate whose linked renewal `renewal` is, while that renewal waits to be
 * activated or submitted (a managed renewal, 托管): the certificate that carries its failure.
 */
export async function managedOriginal(
  ctx: UseCaseContext,
  renewal: Certificate,
): Promise<Certificate | undefined> {
  if (renewal.state !== 'not_activated' || !renewal.renewalOf) return undefined;
  const original = await ctx.store.certificates.get(renewal.renewalOf);
  return original?.hosted && original.renewalId === renewal.id ? original : undefined;
}

/**
 * A later success overcame the failed managed renewal of `before` (as read, failure included;
 * the caller's change set has cleared it): support's open case for the certificate is closed.
 * Dispatched after the commit, so a crash in between loses it; like a lost review alarm, that
 * costs little: the case stays open for a person to resolve.
 */
export async function dispatchCaseClosed(
  ctx: UseCaseContext,
  before: Certificate,
  cause: CaseClosedCause,
  by?: string,
): Promise<void> {
  const failure = before.renewalFailure;
  if (!failure) return;
  await ctx.dispatcher
    .dispatch(
      { kind: 'case_closed', certificateId: before.id, cause, ...(by ? { by } : {}) },
      caseClosedKey(before.id, failure),
    )
    .catch(() => undefined);
}
