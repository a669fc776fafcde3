import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import {
  candidateIneligibility,
  instanceIneligibility,
  planCombination,
} from '../domain/combine.js';
import { ok, type Refusal, type Result, refuse } from '../domain/result.js';
import { byName } from './apply-for-certificate.js';
import type { UseCaseContext } from './context.js';
import { asUpdated } from './ports.js';
import { conflictRefusal } from './refusals.js';

export interface CombineCandidates {
  readonly current: Certificate;
  readonly eligible: readonly Certificate[];
  readonly ineligible: ReadonlyArray<{
    readonly certificate: Certificate;
    readonly reasons: readonly Refusal[];
  }>;
}

/** The team's instances that may be combined into `current`, and why the others may not. */
export async function combineCandidates(
  ctx: UseCaseContext,
  certificateId: string,
  userId: string,
): Promise<Result<CombineCandidates>> {
  const current = await ctx.store.certificates.get(certificateId);
  if (!current) return refuse('certificate.not_found', { id: certificateId });
  if (current.team !== ctx.teams.teamOf(userId))
    return refuse('certificate.other_team', { id: current.id, team: current.team });
  const [reason] = instanceIneligibility(current);
  if (reason) return { ok: false, refusal: reason };
  if (current.openApplicationId)
    return refuse('request.open', { id: current.id, applicationId: current.openApplicationId });
  const team = await ctx.store.certificates.getMany(
    await ctx.store.certificates.idsOfTeam(current.team),
  );
  const eligible: Certificate[] = [];
  const ineligible: { certificate: Certificate; reasons: Refusal[] }[] = [];
  for (const other of team.sort(byName)) {
    if (other.id === current.id) continue;
    // Terminal instances are history, not candidates: listing them would only be noise.
    if (
      other.state === 'merged' ||
      other.state === 'cancelled' ||
      other.state === 'revoked' ||
      other.state === 'replaced'
    )
      continue;
    const reasons: Refusal[] = candidateIneligibility(current, other);
    if (other.openApplicationId)
      reasons.push({
        code: 'request.open',
        params: { id: other.id, applicationId: other.openApplicationId },
      });
    if (reasons.length === 0) eligible.push(other);
    else ineligible.push({ certificate: other, reasons });
  }
  return ok({ current, eligible, ineligible });
}

export interface CombinationRequestInput {
  readonly certificateId: string;
  readonly requesterId: string;
  readonly combineWith: readonly string[];
  readonly confirmedNoRefund: boolean;
}

/** 合并证书: checked now, carried out on approval (and checked again then). */
export async function requestCombination(
  ctx: UseCaseContext,
  input: CombinationRequestInput,
): Promise<Result<{ application: Application; domainQuota: number }>> {
  const candidates = await combineCandidates(ctx, input.certificateId, input.requesterId);
  if (!candidates.ok) return candidates;
  const { current, eligible } = candidates.value;
  const chosen = [...new Set(input.combineWith)];
  const byId = new Map(eligible.map((c) => [c.id, c]));
  const others: Certificate[] = [];
  for (const id of chosen) {
    const other = byId.get(id);
    if (!other) return refuse('combine.candidate_ineligible', { id });
    others.push(other);
  }
  const plan = planCombination({
    current,
    others,
    confirmedNoRefund: input.confirmedNoRefund,
    resultId: 'pending',
  });
  if (!plan.ok) return plan;

  const now = ctx.clock.now().getTime();
  const application: Application = {
    id: ctx.ids.next('app'),
    kind: 'combine',
    certificateId: current.id,
    requesterId: input.requesterId,
    team: current.team,
    status: 'awaiting_approval',
    domains: [],
    hosting: false,
    combineWith: others.map((o) => o.id),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  // Every instance in the combination is held by this request until it is decided.
  const held = [current, ...others].map((before) => ({
    before,
    after: { ...before, openApplicationId: application.id },
  }));
  const note = {
    actor: input.requesterId,
    at: now,
    action: 'request_combination',
    reason: 'no refund confirmed',
  };
  const result = await ctx.store.commit((tx) => {
    tx.createApplication(application, note);
    for (const { before, after } of held) tx.updateCertificate(before, after, note);
  });
  if (!result.ok) return conflictRefusal(result.conflict);
  await ctx.events.publish({
    type: 'approval_requested',
    application,
    certificate: asUpdated(current, held[0]?.after ?? current, now),
  });
  return ok({ application, domainQuota: plan.value.domainQuota });
}
