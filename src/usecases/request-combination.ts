import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import {
  candidateIneligibility,
  instanceIneligibility,
  planCombination,
} from '../domain/combine.js';
import { NOT_CLOSED } from '../domain/listing.js';
import { ok, type Refusal, type Result, refuse } from '../domain/result.js';
import { isApplicableInstance } from '../domain/states.js';
import { byName } from './apply-for-certificate.js';
import type { UseCaseContext } from './context.js';
import { asUpdated } from './ports.js';
import { conflictRefusal } from './refusals.js';

/**
 * Applicable instances examined as candidates at most, the first by name: what the modal's
 * multi-select can offer (100); the rest of the team is counted.
 */
export const CANDIDATES_READ = 100;

export interface CombineCandidates {
  readonly current: Certificate;
  readonly eligible: readonly Certificate[];
  /** Instances one could apply for that cannot join this combination, with the reasons. */
  readonly ineligible: ReadonlyArray<{
    readonly certificate: Certificate;
    readonly reasons: readonly Refusal[];
  }>;
  /** The team's other live or unfinished instances not applicable now (issued, under review, held). */
  readonly unlisted: number;
  /** Instances one could apply for past the first CANDIDATES_READ by name: not examined. */
  readonly unexamined?: number;
}

/** The instance to combine into, if it can be: the person's team's, eligible, not held. */
async function combineTarget(
  ctx: UseCaseContext,
  certificateId: string,
  userId: string,
): Promise<Result<Certificate>> {
  const current = await ctx.store.certificates.get(certificateId);
  if (!current) return refuse('certificate.not_found', { id: certificateId });
  if (current.team !== ctx.teams.teamOf(userId))
    return refuse('certificate.other_team', { id: current.id, team: current.team });
  const [reason] = instanceIneligibility(current);
  if (reason) return { ok: false, refusal: reason };
  if (current.openApplicationId)
    return refuse('request.open', { id: current.id, applicationId: current.openApplicationId });
  return ok(current);
}

/**
 * The team's instances that may be combined into `current`, and why the others one could
 * apply for may not. Reads the team's applicable-instance index (at most CANDIDATES_READ) and
 * counts the rest, so its cost does not grow with the team.
 */
export async function combineCandidates(
  ctx: UseCaseContext,
  certificateId: string,
  userId: string,
): Promise<Result<CombineCandidates>> {
  const target = await combineTarget(ctx, certificateId, userId);
  if (!target.ok) return target;
  const current = target.value;
  const { certificates } = ctx.store;
  const [page, counts] = await Promise.all([
    certificates.applicableOfTeam(current.team, { limit: CANDIDATES_READ }),
    certificates.countInRanges({ by: 'team', id: current.team }, NOT_CLOSED),
  ]);
  const read = (await certificates.getMany(page.ids)).filter(isApplicableInstance).sort(byName);
  const eligible: Certificate[] = [];
  const ineligible: { certificate: Certificate; reasons: Refusal[] }[] = [];
  for (const other of read) {
    if (other.id === current.id) continue;
    const reasons: Refusal[] = candidateIneligibility(current, other);
    if (reasons.length === 0) eligible.push(other);
    else ineligible.push({ certificate: other, reasons });
  }
  const open = counts.reduce((sum, n) => sum + n, 0);
  const unexamined = Math.max(0, page.total - read.length);
  // The team's live or unfinished instances that are not applicable now (current aside).
  const unlisted = Math.max(0, open - page.total);
  return ok({ current, eligible, ineligible, unlisted, unexamined });
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
  const target = await combineTarget(ctx, input.certificateId, input.requesterId);
  if (!target.ok) return target;
  const current = target.value;
  // The chosen ones are read and checked themselves: a few, whatever the team's size.
  const chosen = [...new Set(input.combineWith)];
  const byId = new Map(
    (await ctx.store.certificates.getMany(chosen)).map((c): [string, Certificate] => [c.id, c]),
  );
  const others: Certificate[] = [];
  for (const id of chosen) {
    const other = byId.get(id);
    if (
      !other ||
      other.team !== current.team ||
      !isApplicableInstance(other) ||
      candidateIneligibility(current, other).length > 0
    )
      return refuse('combine.candidate_ineligible', { id });
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
