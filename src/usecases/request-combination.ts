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
import { asUpdated } from './ports/index.js';
import { conflictRefusal } from './refusals.js';

/**
 * Applicable instances examined as candidates at most: what a multi-select can offer (100).
 * A team with more searches them instead (`searchCombineCandidates`), a page at a time.
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
  /**
   * Set when the team has more than CANDIDATES_READ other instances one could apply for: they
   * are searched, not read, and `eligible` holds only the selected ones. The count to search.
   */
  readonly searched?: number;
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
 * apply for may not. Up to CANDIDATES_READ others they are all read and examined; past that
 * none are (a search serves them) but the `selected` ones, so the cost does not grow with the
 * team. The team's other live or unfinished instances are counted.
 */
export async function combineCandidates(
  ctx: UseCaseContext,
  certificateId: string,
  userId: string,
  selected: readonly string[] = [],
): Promise<Result<CombineCandidates>> {
  const target = await combineTarget(ctx, certificateId, userId);
  if (!target.ok) return target;
  const current = target.value;
  const { certificates } = ctx.store;
  const [page, counts] = await Promise.all([
    certificates.applicableOfTeam(current.team, { limit: CANDIDATES_READ + 1 }),
    certificates.countInRanges({ by: 'team', id: current.team }, NOT_CLOSED),
  ]);
  const open = counts.reduce((sum, n) => sum + n, 0);
  // The team's live or unfinished instances that are not applicable now (current aside).
  const unlisted = Math.max(0, open - page.total);
  const others = page.total - (page.ids.includes(current.id) ? 1 : 0);
  if (others > CANDIDATES_READ) {
    const chosen = (await certificates.getMany([...new Set(selected)].slice(0, CANDIDATES_READ)))
      .filter((other) => other.id !== current.id && isCandidate(current, other))
      .sort(byName);
    return ok({ current, eligible: chosen, ineligible: [], unlisted, searched: others });
  }
  const read = (await certificates.getMany(page.ids)).filter(isApplicableInstance).sort(byName);
  const eligible: Certificate[] = [];
  const ineligible: { certificate: Certificate; reasons: Refusal[] }[] = [];
  for (const other of read) {
    if (other.id === current.id) continue;
    const reasons: Refusal[] = candidateIneligibility(current, other);
    if (reasons.length === 0) eligible.push(other);
    else ineligible.push({ certificate: other, reasons });
  }
  const unexamined = Math.max(0, page.total - read.length);
  return ok({ current, eligible, ineligible, unlisted, unexamined });
}

/** Whether `other` (not `current` itself: planCombination says why) may join it now. */
function isCandidate(current: Certificate, other: Certificate): boolean {
  return (
    other.team === current.team &&
    isApplicableInstance(other) &&
    candidateIneligibility(current, other).length === 0
  );
}

/**
 * The search behind a big team's candidates: instances whose name or id starts with `query`
 * that may be combined into `current`, by name: one page of the matches is read (CANDIDATES_READ
 * and the current one), so a query matching many instances that cannot be combined offers fewer.
 */
export async function searchCombineCandidates(
  ctx: UseCaseContext,
  certificateId: string,
  userId: string,
  query: string,
): Promise<Certificate[]> {
  const target = await combineTarget(ctx, certificateId, userId);
  if (!target.ok) return [];
  const current = target.value;
  // One more than a select shows: the current instance may be among them.
  const { ids } = await ctx.store.certificates.applicableOfTeam(current.team, {
    query,
    limit: CANDIDATES_READ + 1,
  });
  return (await ctx.store.certificates.getMany(ids))
    .filter((other) => other.id !== current.id && isCandidate(current, other))
    .sort(byName)
    .slice(0, CANDIDATES_READ);
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
    if (!other || !isCandidate(current, other))
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
