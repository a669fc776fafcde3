import type { Application } from '../domain/application.js';
import type { Certificate } from '../domain/certificate.js';
import { canRecordPurchases } from '../domain/permissions.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { DEFAULT_TEAM, type UseCaseContext } from './context.js';
import { SYSTEM_ACTOR } from './expiry-check.js';
import {
  CaError,
  type CaOrderSource,
  type PlacedInstance,
  type PlacedOrder,
} from './ports/index.js';
import { MAX_INSTANCES_PER_PURCHASE, teamNameSchema } from './record-purchase.js';
import { conflictRefusal } from './refusals.js';

export interface CaImportOutcome {
  readonly created: ReadonlyArray<{ readonly certificateId: string; readonly orderId: string }>;
  /** Orders CertOps already tracks (a certificate has this CA order id). */
  readonly known: number;
  /** Orders CertOps cannot represent (unknown status, missing spec), with the reason. */
  readonly skipped: ReadonlyArray<{ readonly orderId: string; readonly reason: string }>;
}

/** A window in which a second import of the same order is refused even if the first is in flight. */
const IMPORT_ONCE_MS = 10 * 60_000;

/**
 * Imports the CA's orders CertOps does not know yet (bought or applied for in its console) as
 * certificates, keyed by the CA's order id: one atomic purchase record, so a run lands whole or
 * not at all, and a second run creates nothing for orders imported before. What each order
 * becomes (state, spec, names) is the CA adapter's reading of it; the certificates go to team
 * `default` unless `team` says otherwise.
 */
export async function importCaOrders(
  ctx: UseCaseContext,
  source: CaOrderSource,
  actor: string,
  options: { readonly team?: string; readonly max?: number } = {},
): Promise<Result<CaImportOutcome>> {
  if (actor !== SYSTEM_ACTOR && !canRecordPurchases(ctx.policy, actor))
    return refuse('purchase.not_allowed', { user: actor });
  // Configuration, not user input: a bad team name is a programming error.
  const team = teamNameSchema.parse(options.team ?? DEFAULT_TEAM);
  let orders: PlacedOrder[];
  try {
    orders = await source.placedOrders({ max: options.max ?? MAX_INSTANCES_PER_PURCHASE });
  } catch (error) {
    const message = error instanceof CaError ? error.message : 'the CA could not be reached';
    return refuse('ca.error', { provider: source.name, error: message });
  }
  const known = await knownOrderIds(ctx);
  const now = ctx.clock.now().getTime();
  const created: Certificate[] = [];
  const skipped: Array<{ orderId: string; reason: string }> = [];
  let knownCount = 0;
  for (const order of orders) {
    if (known.has(order.orderId)) {
      knownCount++;
      continue;
    }
    if ('unsupported' in order) {
      skipped.push({ orderId: order.orderId, reason: order.unsupported });
      continue;
    }
    created.push(certificateOf(order.instance, order.orderId, ctx.ids.next('cert'), team, now));
    known.add(order.orderId);
  }
  if (created.length > 0) {
    const result = await ctx.store.commit((tx) => {
      const note = { actor, at: now, action: 'purchase', reason: `imported from ${source.title}` };
      for (const cert of created) {
        tx.once(`ca-import:${source.name}:${cert.caOrderId}`, IMPORT_ONCE_MS);
        const followed = followedApplication(cert, ctx.ids.next('app'), actor, now, source);
        tx.createCertificate(followed ? { ...cert, openApplicationId: followed.id } : cert, {
          ...note,
          reason: `${source.title} order ${cert.caOrderId}`,
        });
        if (followed) tx.createApplication(followed, { ...note, action: 'import_submitted' });
      }
    });
    if (!result.ok) return conflictRefusal(result.conflict);
  }
  return ok({
    created: created.map((c) => ({ certificateId: c.id, orderId: c.caOrderId ?? '' })),
    known: knownCount,
    skipped,
  });
}

function certificateOf(
  instance: PlacedInstance,
  orderId: string,
  id: string,
  team: string,
  now: number,
): Certificate {
  return {
    ...instance,
    id,
    source: 'purchased',
    team,
    caOrderId: orderId,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * An order the CA is still reviewing gets a submitted application, so that the CA poll follows
 * it to its outcome like one submitted from Slack (without SLA points: when it was submitted is
 * not in the order list).
 */
function followedApplication(
  cert: Certificate,
  id: string,
  actor: string,
  now: number,
  source: CaOrderSource,
): Application | undefined {
  if (cert.state !== 'under_review') return undefined;
  return {
    id,
    kind: 'apply',
    certificateId: cert.id,
    requesterId: actor,
    team: cert.team,
    status: 'submitted',
    domains: cert.domains,
    hosting: false,
    decidedBy: actor,
    decidedAt: now,
    decisionReason: `imported from ${source.title} (order ${cert.caOrderId})`,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** Every CA order id the store's certificates carry. */
async function knownOrderIds(ctx: UseCaseContext): Promise<Set<string>> {
  const ids = new Set<string>();
  const limit = 500;
  for (let offset = 0; ; offset += limit) {
    const page = await ctx.store.certificates.ids({ offset, limit });
    for (const cert of await ctx.store.certificates.getMany(page))
      if (cert.caOrderId) ids.add(cert.caOrderId);
    if (page.length < limit) return ids;
  }
}
