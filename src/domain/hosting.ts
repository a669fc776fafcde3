import { ok, type Result, refuse } from './result.js';

/**
 * Hosting credits (托管服务次数): purchased uses of the managed-renewal service. Enabling
 * hosting in an application consumes one.
 */
export interface HostingCredits {
  readonly team: string;
  readonly purchased: number;
  readonly used: number;
}

export function availableCredits(credits: Pick<HostingCredits, 'purchased' | 'used'>): number {
  return Math.max(0, credits.purchased - credits.used);
}

export type HostingRefusal = 'hosting.no_credits';

/** Taking one credit: refused clearly when none are left. */
export function consumeHostingCredit(
  credits: HostingCredits,
): Result<HostingCredits, HostingRefusal> {
  if (availableCredits(credits) < 1) {
    return refuse('hosting.no_credits', { team: credits.team, purchased: credits.purchased });
  }
  return ok({ ...credits, used: credits.used + 1 });
}
