import { z } from 'zod';
import type { Certificate } from '../domain/certificate.js';
import { canRecordPurchases } from '../domain/permissions.js';
import { ok, type Result, refuse } from '../domain/result.js';
import { DOMAIN_TYPES, VALIDATION_TYPES } from '../domain/spec.js';
import type { UseCaseContext } from './context.js';
import { conflictRefusal } from './refusals.js';

/** Team names: what people type in `/cert purchase` and in the bulk file. */
export const teamNameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'a team name: 1-32 letters, digits, _ or -');

/**
 * One purchase record, from the purchase modal or a line of the bulk file: certificate
 * instances bought (quantity of one spec) or hosting credits bought.
 */
export const purchaseRecordSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('instances'),
      brand: z.string().trim().min(1).max(40),
      validationType: z.enum(VALIDATION_TYPES),
      domainType: z.enum(DOMAIN_TYPES),
      grade: z.string().trim().min(1).max(40),
      validityYears: z.number().int().min(1).max(3),
      domainQuota: z.number().int().min(1).max(250),
      quantity: z.number().int().min(1).max(100),
      team: teamNameSchema,
      name: z.string().trim().min(1).max(64).optional(),
    })
    .refine(
      (r) => r.domainQuota === 1 || (r.domainType !== 'single' && r.domainType !== 'wildcard'),
      {
        message: 'single and wildcard instances bind exactly one domain name',
        path: ['domainQuota'],
      },
    ),
  z.object({
    kind: z.literal('hosting_credits'),
    team: teamNameSchema,
    count: z.number().int().min(1).max(1000),
  }),
]);
export type PurchaseRecord = z.infer<typeof purchaseRecordSchema>;

/** At most this many instances per call: one atomic change stays small. */
export const MAX_INSTANCES_PER_PURCHASE = 1000;

export interface PurchaseOutcome {
  readonly certificateIds: readonly string[];
  readonly credits: ReadonlyArray<{ readonly team: string; readonly count: number }>;
}

/**
 * Records purchases made outside the bot (a CA, a reseller, a console) so the bot knows what
 * can be applied for and combined. All records land together or none do.
 */
export async function recordPurchases(
  ctx: UseCaseContext,
  actor: string,
  records: readonly PurchaseRecord[],
): Promise<Result<PurchaseOutcome>> {
  if (!canRecordPurchases(ctx.policy, actor))
    return refuse('purchase.not_allowed', { user: actor });
  if (records.length === 0) return refuse('purchase.empty');
  const instances = records.reduce((n, r) => n + (r.kind === 'instances' ? r.quantity : 0), 0);
  if (instances > MAX_INSTANCES_PER_PURCHASE) {
    return refuse('purchase.too_many', { count: instances, max: MAX_INSTANCES_PER_PURCHASE });
  }
  const now = ctx.clock.now().getTime();
  const certificates: Certificate[] = [];
  const credits = new Map<string, number>();
  for (const record of records) {
    if (record.kind === 'hosting_credits') {
      credits.set(record.team, (credits.get(record.team) ?? 0) + record.count);
      continue;
    }
    const spec = {
      brand: record.brand,
      validationType: record.validationType,
      domainType: record.domainType,
      grade: record.grade,
    };
    for (let i = 0; i < record.quantity; i++) {
      const id = ctx.ids.next('cert');
      certificates.push({
        id,
        name: record.name ?? `${record.brand} ${record.validationType} ${record.domainType}`,
        spec,
        validityYears: record.validityYears,
        domainQuota: record.domainQuota,
        state: 'pending_application',
        source: 'purchased',
        domains: [],
        team: record.team,
        hosted: false,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
    }
  }
  const result = await ctx.store.commit((tx) => {
    const note = { actor, at: now, action: 'purchase' };
    for (const cert of certificates) tx.createCertificate(cert, note);
    for (const [team, count] of credits)
      tx.addHostingCredits(team, count, { ...note, reason: `+${count}` });
  });
  if (!result.ok) return conflictRefusal(result.conflict);
  return ok({
    certificateIds: certificates.map((c) => c.id),
    credits: [...credits].map(([team, count]) => ({ team, count })),
  });
}
