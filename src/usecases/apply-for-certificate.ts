import type { Application, ValidationMethod } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import { type Contact, type ContactFields, contactFieldsSchema } from '../domain/contact.js';
import { validateDomainBinding } from '../domain/domain-names.js';
import { canHost } from '../domain/hosting.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { canApplyFor, isApplicableInstance } from '../domain/states.js';
import type { UseCaseContext } from './context.js';
import { asUpdated } from './ports/index.js';
import { conflictRefusal } from './refusals.js';

/** A contact chosen from the team's, or a new one created with the request. */
export type ContactChoice =
  | { readonly kind: 'existing'; readonly contactId: string }
  | { readonly kind: 'new'; readonly fields: ContactFields };

export interface ApplyInput {
  readonly certificateId: string;
  readonly requesterId: string;
  readonly domains: readonly string[];
  readonly validationMethod: ValidationMethod;
  readonly contact: ContactChoice;
  readonly hosting: boolean;
}

export interface ApplyOutcome {
  readonly application: Application;
  readonly certificate: Certificate;
}

/** Validation methods per type: DV by DNS or file; OV/EV also by the CA's email. */
export function validationMethodsFor(certificate: Pick<Certificate, 'spec'>): ValidationMethod[] {
  return certificate.spec.validationType === 'DV' ? ['dns', 'file'] : ['dns', 'file', 'email'];
}

/** What a page of applicable instances holds by default: what a Slack select offers. */
export const INSTANCE_PAGE = 100;

export interface InstancePage {
  readonly instances: Certificate[];
  /** How many the person may apply for in all (with a query: how many names match). */
  readonly total: number;
}

/**
 * The instances the person may apply for, from the team's index (store `applicableOfTeam`):
 * the first `limit` by name, or those whose name or id starts with `query`. A few reads
 * whatever the team's size or history.
 */
export async function applicableInstances(
  ctx: UseCaseContext,
  userId: string,
  search: {
    readonly query?: string;
    readonly limit?: number;
    /** Only the count when there are more than this (a modal that searches past 100 instead). */
    readonly readUpTo?: number;
  } = {},
): Promise<InstancePage> {
  const { ids, total } = await ctx.store.certificates.applicableOfTeam(ctx.teams.teamOf(userId), {
    ...(search.query !== undefined ? { query: search.query } : {}),
    limit: search.limit ?? INSTANCE_PAGE,
  });
  if (search.readUpTo !== undefined && total > search.readUpTo) return { instances: [], total };
  // The index moves in the same change sets as the instances; checked again all the same.
  const instances = (await ctx.store.certificates.getMany(ids)).filter(isApplicableInstance);
  return { instances, total };
}

/** One instance, if the person may apply for it now (their team's, its state, no open request). */
export async function applicableInstance(
  ctx: UseCaseContext,
  userId: string,
  id: string,
): Promise<Certificate | undefined> {
  const cert = await ctx.store.certificates.get(id);
  return cert && cert.team === ctx.teams.teamOf(userId) && isApplicableInstance(cert)
    ? cert
    : undefined;
}

export function byName(a: Certificate, b: Certificate): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

/**
 * 提交证书申请: checks the instance, the domains against its type and quota, the contact and a
 * hosting credit, then records an application awaiting approval. The credit is only checked
 * now: it is held when the application is approved (checked again then, binding), so a request
 * that is never approved takes nothing from the team.
 */
export async function applyForCertificate(
  ctx: UseCaseContext,
  input: ApplyInput,
): Promise<Result<ApplyOutcome>> {
  const cert = await ctx.store.certificates.get(input.certificateId);
  if (!cert) return refuse('certificate.not_found', { id: input.certificateId });
  const team = ctx.teams.teamOf(input.requesterId);
  if (cert.team !== team) return refuse('certificate.other_team', { id: cert.id, team: cert.team });
  if (!canApplyFor(cert.state)) return refuse('apply.state', { id: cert.id, state: cert.state });
  if (cert.openApplicationId)
    return refuse('request.open', { id: cert.id, applicationId: cert.openApplicationId });
  if (!validationMethodsFor(cert).includes(input.validationMethod)) {
    return refuse('apply.validation_method', {
      method: input.validationMethod,
      validationType: cert.spec.validationType,
    });
  }
  const domains = validateDomainBinding(input.domains, cert.spec.domainType, cert.domainQuota);
  if (!domains.ok) return domains;
  const contact = await resolveContact(ctx, input.contact, team, input.requesterId);
  if (!contact.ok) return contact;
  if (input.hosting) {
    const payable = canHost(await ctx.store.hostingCredits.get(team), cert);
    if (!payable.ok) return payable;
  }

  const now = ctx.clock.now().getTime();
  const application: Application = {
    id: ctx.ids.next('app'),
    kind: 'apply',
    certificateId: cert.id,
    requesterId: input.requesterId,
    team,
    status: 'awaiting_approval',
    domains: domains.value,
    validationMethod: input.validationMethod,
    contactId: contact.value.contact.id,
    hosting: input.hosting,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const updated: Certificate = { ...cert, openApplicationId: application.id };
  const note = { actor: input.requesterId, at: now, action: 'apply' };
  const result = await ctx.store.commit((tx) => {
    if (contact.value.created)
      tx.createContact(contact.value.contact, { ...note, action: 'create_contact' });
    tx.updateCertificate(cert, updated, note);
    tx.createApplication(application, note);
  });
  if (!result.ok) return conflictRefusal(result.conflict);
  const stored = asUpdated(cert, updated, now);
  await ctx.events.publish({ type: 'approval_requested', application, certificate: stored });
  return ok({ application, certificate: stored });
}

/** An existing contact must belong to the team; a new one is validated here and created with the request. */
export async function resolveContact(
  ctx: UseCaseContext,
  choice: ContactChoice,
  team: string,
  actor: string,
): Promise<Result<{ contact: Contact; created: boolean }>> {
  if (choice.kind === 'existing') {
    const contact = await ctx.store.contacts.get(choice.contactId);
    if (!contact || contact.team !== team)
      return refuse('contact.not_found', { id: choice.contactId });
    return ok({ contact, created: false });
  }
  const fields = contactFieldsSchema.safeParse(choice.fields);
  if (!fields.success) {
    const field = String(fields.error.issues[0]?.path[0] ?? 'name');
    return refuse('contact.invalid', { field });
  }
  return ok({
    contact: {
      id: ctx.ids.next('contact'),
      ...fields.data,
      team,
      createdBy: actor,
      createdAt: ctx.clock.now().getTime(),
    },
    created: true,
  });
}
