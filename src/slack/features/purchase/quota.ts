import { z } from 'zod';
import { isAlibabaCasProvider } from '../../../ca/alibaba-cas-provider.js';
import { CaError } from '../../../usecases/ports/index.js';
import { escapeMrkdwn, truncate } from '../../blocks.js';
import type { SlackDeps } from '../../deps.js';
import type { Translate } from '../../i18n/index.js';

/**
 * What is left of the Alibaba Cloud CAS certificate packages (DescribePackageState), for the
 * people choosing what to buy or apply for: `/cert purchase` and the approvers' App Home. Only
 * shown when a route sends certificates to CAS. Read after Slack has been answered, within
 * QUOTA_TIMEOUT_MS, and kept briefly in the key-value store so that a busy Home tab does not
 * spend CAS's per-account call budget; a CAS error becomes one line, never a failed command.
 */

/** A fresh read is reused this long. */
export const QUOTA_CACHE_MS = 60_000;
/** A failed read is remembered this long, so a CAS outage is not asked about on every view. */
export const QUOTA_ERROR_CACHE_MS = 15_000;
/** CAS gets this long to answer for all packages together. */
export const QUOTA_TIMEOUT_MS = 2_000;
/** Packages listed; the rest are counted. */
export const QUOTA_LINES = 10;

const CACHE_KEY = 'cas-package-quota';

const packageSchema = z.object({
  productCode: z.string().max(200),
  specs: z.array(z.string().max(200)).max(100),
  total: z.number(),
  used: z.number(),
  issued: z.number(),
});
const quotaSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('packages'), packages: z.array(packageSchema).max(500) }),
  z.object({ kind: z.literal('no_products') }),
  z.object({ kind: z.literal('unavailable'), reason: z.string().max(500) }),
]);
export type PackageQuota = z.infer<typeof quotaSchema>;

/** The CAS package quota, or undefined when no route sends certificates to Alibaba Cloud CAS. */
export async function casPackageQuota(deps: SlackDeps): Promise<PackageQuota | undefined> {
  const cas = deps.useCases.ca.routed?.('alibaba-cas');
  if (!isAlibabaCasProvider(cas)) return undefined;
  const products = cas.configuredProducts();
  if (products.length === 0) return { kind: 'no_products' };
  const cached = await deps.kv.get(CACHE_KEY).catch(() => undefined);
  if (cached) {
    try {
      return quotaSchema.parse(JSON.parse(cached));
    } catch {
      // Unreadable: read CAS again.
    }
  }
  let quota: PackageQuota;
  let timer: NodeJS.Timeout | undefined;
  try {
    const packages = await Promise.race([
      Promise.all(
        products.map(async ({ productCode, specs }) => ({
          ...(await cas.describePackageState(productCode)),
          productCode,
          specs: [...specs],
        })),
      ),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new QuotaTimeout()), QUOTA_TIMEOUT_MS);
      }),
    ]);
    quota = { kind: 'packages', packages };
  } catch (error) {
    const reason =
      error instanceof QuotaTimeout
        ? `Alibaba Cloud CAS did not answer within ${QUOTA_TIMEOUT_MS / 1000} s`
        : error instanceof CaError
          ? error.message
          : 'Alibaba Cloud CAS could not be reached';
    quota = { kind: 'unavailable', reason: reason.slice(0, 500) };
  } finally {
    clearTimeout(timer);
  }
  const ttl = quota.kind === 'packages' ? QUOTA_CACHE_MS : QUOTA_ERROR_CACHE_MS;
  await deps.kv.set(CACHE_KEY, JSON.stringify(quota), ttl).catch(() => undefined);
  return quota;
}

class QuotaTimeout extends Error {}

/** The quota as mrkdwn lines: a title, then one line per package (or why there is none). */
export function quotaLines(t: Translate, quota: PackageQuota): string[] {
  switch (quota.kind) {
    case 'no_products':
      return [t('purchase.quota.no_products')];
    case 'unavailable':
      return [
        t('purchase.quota.unavailable', { reason: escapeMrkdwn(truncate(quota.reason, 300)) }),
      ];
    case 'packages': {
      const lines = [t('purchase.quota.title')];
      for (const p of quota.packages.slice(0, QUOTA_LINES)) {
        lines.push(
          t('purchase.quota.line', {
            code: escapeMrkdwn(truncate(p.productCode, 80)),
            specs: escapeMrkdwn(truncate(p.specs.join(', '), 120)),
            left: Math.max(0, p.total - p.used),
            total: p.total,
            used: p.used,
            issued: p.issued,
          }),
        );
      }
      if (quota.packages.length > QUOTA_LINES)
        lines.push(t('common.more', { count: quota.packages.length - QUOTA_LINES }));
      return lines;
    }
  }
}
