import type { Application } from './application.js';
import type { Certificate, InstanceCredit } from './certificate.js';
import { ok, type Result, refuse } from './result.js';

/**
 * Hosting credits (托管服务次数): purchased uses of the managed-renewal service, kept as a
 * ledger per team. A credit is held for an instance when its application asking for hosting is
 * approved, spent when that instance is issued, and released when the request ends without an
 * issuance that needs it (rejected, lapsed, withdrawn, the instance combined or cancelled). The
 * balance always adds up: available = purchased - held - spent.
 */
export interface HostingCredits {
  readonly team: string;
  readonly purchased: number;
  readonly held: number;
  readonly spent: number;
}

export function availableCredits(
  credits: Pick<HostingCredits, 'purchased' | 'held' | 'spent'>,
): number {
  return Math.max(0, credits.purchased - credits.held - credits.spent);
}

/** A change of the team's ledger, and of the instance's credit with it. */
export type CreditMove = 'hold' | 'release' | 'spend';

export type HostingRefusal = 'hosting.no_credits';

/**
 * Whether the team could pay for hosting on `instance` now: it already holds a credit (a
 * request that failed validation), or one is available. Checked when asked and again, binding,
 * when approved.
 */
export function canHost(
  credits: HostingCredits,
  instance: Pick<Certificate, 'hostingCredit'>,
): Result<true, HostingRefusal> {
  if (instance.hostingCredit === 'held' || availableCredits(credits) >= 1) return ok(true);
  return refuse('hosting.no_credits', { team: credits.team, purchased: credits.purchased });
}

/**
 * The move when an application is approved: an application asking for hosting holds a credit
 * unless its instance holds one already; one that does not ask for it gives a held one back.
 */
export function creditMoveOnApproval(
  app: Pick<Application, 'kind' | 'hosting'>,
  instance: Pick<Certificate, 'hostingCredit'>,
): CreditMove | undefined {
  if (app.kind !== 'apply') return undefined;
  if (app.hosting) return instance.hostingCredit === 'held' ? undefined : 'hold';
  return instance.hostingCredit === 'held' ? 'release' : undefined;
}

/** Issued: a held credit is spent. */
export function creditMoveOnIssue(
  instance: Pick<Certificate, 'hostingCredit'>,
): CreditMove | undefined {
  return instance.hostingCredit === 'held' ? 'spend' : undefined;
}

/**
 * The request ended without an issuance (rejected, lapsed, withdrawn) or the instance is gone
 * (combined, cancelled): a held credit goes back to the team.
 */
export function creditMoveOnRelease(
  instance: Pick<Certificate, 'hostingCredit'>,
): CreditMove | undefined {
  return instance.hostingCredit === 'held' ? 'release' : undefined;
}

/** The instance's credit after a move. */
export function instanceCreditAfter(move: CreditMove): InstanceCredit | undefined {
  return move === 'hold' ? 'held' : move === 'spend' ? 'spent' : undefined;
}
