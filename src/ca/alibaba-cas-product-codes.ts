import { isLive } from '../domain/certificate.js';
import { CERTIFICATE_STATES, TERMINAL_STATES } from '../domain/states.js';
import type { CaRegistry, CertificateReader } from '../usecases/ports/index.js';
import { isAlibabaCasProvider, productCodeKeyOf } from './alibaba-cas-provider.js';

/**
 * Instances still on their way to a certificate: neither closed nor issued. Each may yet be
 * submitted to its CA (an `under_review` one again after a withdrawal).
 */
export const OPEN_INSTANCE_STATES = CERTIFICATE_STATES.filter(
  (state) => !TERMINAL_STATES.has(state) && !isLive({ state }),
);

/** Keys named in the start-up line; the rest are counted. */
const KEYS_LISTED = 20;

/**
 * Start-up check: every spec of the open instances routed to Alibaba Cloud CAS has a product code
 * (grade included). Without it each submission of such an instance would fail, one approval at a
 * time; refusing to start names every missing key at once. Returns that one line, or undefined.
 */
export async function missingCasProductCodes(
  ca: CaRegistry,
  certificates: Pick<CertificateReader, 'specsInStates'>,
): Promise<string | undefined> {
  const cas = ca.routed?.('alibaba-cas');
  if (!isAlibabaCasProvider(cas)) return undefined;
  const specs = await certificates.specsInStates(OPEN_INSTANCE_STATES);
  const missing = specs
    .filter((spec) => ca.providerFor({ spec }) === cas && cas.productCodeFor(spec) === undefined)
    .map(productCodeKeyOf)
    .sort();
  if (missing.length === 0) return undefined;
  const listed = missing.slice(0, KEYS_LISTED).join(', ');
  const more = missing.length > KEYS_LISTED ? ` and ${missing.length - KEYS_LISTED} more` : '';
  return `CERTOPS_ALIBABA_PRODUCT_CODES has no product code for ${listed}${more}, which open instances routed to Alibaba Cloud CAS have: add each as brand/TYPE/domainType/grade=<product code>, like ${missing[0]}=<product code>`;
}
