import type { Config } from '../config.js';
import type { CaProvider, CaRegistry, Logger } from '../usecases/ports/index.js';
import { createAcmeProvider } from './acme-provider.js';
import { createAlibabaCasProvider } from './alibaba-cas-provider.js';
import { manualProvider } from './manual-provider.js';
import { routedRegistry } from './routed-registry.js';

/** The providers configured (only those routed to are created) and the routes between them. */
export function createCaRegistry(ca: Config['ca'], logger: Logger): CaRegistry {
  const used = new Set(Object.values(ca.routes));
  const providers: CaProvider[] = [manualProvider];
  if (used.has('acme') && ca.acme) providers.push(createAcmeProvider(ca.acme, logger));
  if (used.has('alibaba-cas') && ca.alibaba)
    providers.push(createAlibabaCasProvider(ca.alibaba, logger));
  return routedRegistry(ca.routes, providers);
}
