import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import { type RenewOption, renewOption } from '../domain/renewal.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { type ContactChoice, resolveContact } from './apply-for-certificate.js';
import type { UseCaseContext } from './context.js';
import { asUpdated } from './ports/index.js';
import { conflictRefusal } from './refusals.js';

/** What Renew offers for this certificate now (for the renew modal), or why there is nothing. */
export async function renewalOptions(
  ctx: UseCaseContext,
  certificateId: string,
  userId: string,
): Promise<Result<{ certificate: Certificate; option: RenewOption }>> {
  const cert = await ctx.store.certificates.get(certificateId);
  if (!cert) return refuse('certificate.not_found', { id: certificateId });
  if (cert.team !== ctx.teams.teamOf(userId))
    return refuse('certificate.other_team', { id: cert.id, team: cert.team });
  const renewal = await linkedRenewal(ctx, cert);
  const option = renewOption(cert, ctx.clock.now(), ctx.policy.timeZone, renewal);
  if (!option.ok) return option;
  return ok({ certificate: cert, option: option.value });
}

/** The renewal instance linked to a certificate (`renewalId`), read for the one-renewal rule. */
export async function linkedRenewal(
  ctx: UseCaseContext,
  cert: Certificate,
): Promise<Certificate | undefined> {
  return cert.renewalId ? ctx.store.certificates.get(cert.renewalId) : undefined;
}

export interface RenewalRequest {
  readonly certificateId: string;
  readonly requesterId: string;
  /** The contact the CA's team reaches for the renewal: confirmed or created. */
  readonly contact: ContactChoice;
}

/**
 * 续费: more than 30 natural days before expiry it enables hosting (a renewal of exactly the same
 * spec, linked and not activated); within the window an unhosted certificate can only be renewed
 * by a manual renewal purchase. Either way approvers decide first.
 */
export async function requestRenewal(
  ctx: UseCaseContext,
  input: RenewalRequest,
): Promise<Result<{ application: Application }>> {
  const options = await renewalOptions(ctx, input.certificateId, input.requesterId);
  if (!options.ok) return options;
  const { certificate: cert, option } = options.value;
  if (option.kind === 'already_hosted')
    return refuse('renew.already_hosted', { id: cert.id, daysLeft: option.daysLeft });
  if (option.kind === 'renews_automatically')
    return refuse('renew.automatic', { id: cert.id, daysLeft: option.daysLeft });
  if (cert.openApplicationId)
    return refuse('request.open', { id: cert.id, applicationId: cert.openApplicationId });
  const team = cert.team;
  const contact = await resolveContact(ctx, input.contact, team, input.requesterId);
  if (!contact.ok) return contact;

  const now = ctx.clock.now().getTime();
  const application: Application = {
    id: ctx.ids.next('app'),
    kind: option.kind === 'enable_hosting' ? 'enable_hosting' : 'renewal_purchase',
    certificateId: cert.id,
    requesterId: input.requesterId,
    team,
    status: 'awaiting_approval',
    domains: cert.domains,
    contactId: contact.value.contact.id,
    hosting: option.kind === 'enable_hosting',
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const updated: Certificate = { ...cert, openApplicationId: application.id };
  const note = {
    actor: input.requesterId,
    at: now,
    action: 'request_renewal',
    reason: option.kind,
  };
  const result = await ctx.store.commit((tx) => {
    if (contact.value.created)
      tx.createContact(contact.value.contact, { ...note, action: 'create_contact' });
    tx.updateCertificate(cert, updated, note);
    tx.createApplication(application, note);
  });
  if (!result.ok) return conflictRefusal(result.conflict);
  await ctx.events.publish({
    type: 'approval_requested',
    application,
    certificate: asUpdated(cert, updated, now),
  });
  return ok({ application });
}
